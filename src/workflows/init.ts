// prichal init ID: a participant file scaffolded from the template, every field with its comment.
import { lstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { makeFolder, writeAtomic } from '../files.js';
import { PARTICIPANTS_DIR } from '../inventory/index.js';
import { TEMPLATES_DIR } from '../project.js';
import { UsageError } from './errors.js';

const TEMPLATE = path.join(TEMPLATES_DIR, 'participant.yaml');
const ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

export interface InitResult {
  file: string;
}

/**
 * Scaffolds a participant file with every field and a comment for each. Required values are
 * left empty on purpose: `prichal validate` then lists each one with its line, so nothing
 * made-up can slip into the inventory.
 */
export async function init(options: { inventory: string; id: string; force: boolean }): Promise<InitResult> {
  if (!ID.test(options.id))
    throw new UsageError({
      en: `participant id '${options.id}' must be lower-case letters, digits and '-', 2–63 characters`,
      ru: `идентификатор участника '${options.id}': строчные латинские буквы, цифры и '-', от 2 до 63 символов`,
    });
  const file = path.join(options.inventory, PARTICIPANTS_DIR, `${options.id}.yaml`);
  const template = await readFile(TEMPLATE, 'utf8');
  await makeFolder(path.dirname(file));
  // A link counts as existing (even a dangling one): --force then writes by the writing rule,
  // which never goes through a link out of the folder nor over something that is not a file.
  if (!options.force && lstatSync(file, { throwIfNoEntry: false }))
    throw new UsageError({
      en: `${file} already exists; use --force to overwrite it`,
      ru: `${file} уже существует; чтобы перезаписать, добавьте --force`,
    });
  await writeAtomic(file, template.replaceAll('{{id}}', options.id));
  return { file };
}
