// prichal migrate [--check]: rewrites an inventory to the current contract version through the
// in-place editor — only the lines a change needs, every comment and other line byte for byte —,
// says per file what it changed, and lists as located findings what only a person can decide (a
// date it cannot infer). What changes is the list of fields version 2 reads differently
// (requirements/versions.ts), the same list whose warnings a version-1 inventory gets.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  findingAt,
  formatPath,
  locate,
  OPERATOR_FILE,
  SourceFile,
  validateInventory,
  YamlEditor,
  type FieldPath,
  type Finding,
  type Words,
} from '../inventory/index.js';
import {
  contractVersion,
  CURRENT_VERSION,
  InventoryNotFoundError,
  settlementsUnderLocalGovernment,
  versionOneReadings,
} from '../requirements/index.js';
import { writeAtomic } from '../files.js';
import { InvalidInventoryError } from './errors.js';

export interface MigrationChange {
  /** The field changed, dotted as findings show it. */
  path: string;
  /** Where it is now (where it was, for a removed field). */
  line: number;
  message: string;
  ru: string;
}

export interface FileMigration {
  /** Relative to the inventory root. */
  file: string;
  changes: MigrationChange[];
}

export interface MigrateResult {
  /** The contract version the inventory followed, and the one it follows after the migration. */
  from: number;
  to: number;
  /** Some file is to change. */
  due: boolean;
  /** The files were rewritten (never with --check). */
  written: boolean;
  files: FileMigration[];
  /** What only a person can decide, located in the migrated files: errors leave the inventory invalid until written. */
  decisions: Finding[];
}

interface Planned {
  source: SourceFile;
  text: string;
  changes: MigrationChange[];
}

const change = (source: SourceFile, path: FieldPath, what: Words): MigrationChange => ({
  path: formatPath(path),
  line: locate(source, path).line,
  message: what.en,
  ru: what.ru,
});

export async function migrate(options: { inventory: string; check?: boolean }): Promise<MigrateResult> {
  const root = options.inventory;
  if (!(await stat(root).catch(() => undefined))?.isDirectory())
    throw new InventoryNotFoundError({
      en: `inventory folder not found: ${path.resolve(root)} (set it with --inventory DIR)`,
      ru: `каталог реестра не найден: ${path.resolve(root)} (укажите его через --inventory DIR)`,
    });
  const { inventory, loaded, findings } = await validateInventory(root);
  // Every file must read as what it is: a file the schema refuses would be left behind by the version it is bumped past.
  const migrated = new Set(inventory.participants.map((p) => p.source.file));
  const unread = new Set([
    ...loaded.listed.filter((f) => !migrated.has(f)),
    ...(inventory.operator ? [] : [OPERATOR_FILE]),
  ]);
  if (unread.size) {
    throw new InvalidInventoryError(
      findings.filter((f) => unread.has(f.file) && f.severity === 'error'),
      {
        en: 'migrate reads every file first, nothing was changed',
        ru: 'migrate сначала читает каждый файл, ничего не изменено',
      },
    );
  }
  const operator = inventory.operator!;
  const from = contractVersion(operator.value);
  if (from >= CURRENT_VERSION) return { from, to: from, due: false, written: false, files: [], decisions: [] };

  const planned: Planned[] = [];
  const decisions: Finding[] = [];
  for (const { value: p, source } of inventory.participants) {
    const editor = new YamlEditor(source.text, source.file);
    const changes: Array<{ path: FieldPath; what: Words; removed: boolean }> = [];
    const decided: Array<{ path: FieldPath; severity: 'error' | 'warning'; words: Words }> = [];
    for (const reading of versionOneReadings(p)) {
      for (const { edit, what } of reading.edits ?? []) {
        if ('remove' in edit) editor.remove(edit.path);
        else
          editor.set(edit.path, edit.value, {
            ...(edit.after ? { after: edit.after } : {}),
            ...(edit.flowFrom !== undefined ? { flowFrom: edit.flowFrom } : {}),
          });
        changes.push({ path: edit.path, what, removed: 'remove' in edit });
      }
      if (reading.decision) decided.push({ path: reading.path, ...reading.decision });
    }
    const after = new SourceFile(source.file, editor.text);
    for (const d of decided)
      decisions.push(findingAt(after, d.path, 'migration-decision', d.words, { severity: d.severity }));
    if (changes.length)
      planned.push({
        source,
        text: editor.text,
        changes: changes.map((c) => change(c.removed ? source : after, c.path, c.what)),
      });
  }

  // A district administration is `municipal-district` in version 2: whether a local-government coordinating settlements is one, a person says.
  const settlements = new Map<string, { coordinator: SourceFile; ids: string[] }>();
  for (const { settlement, coordinator } of settlementsUnderLocalGovernment(inventory)) {
    const entry = settlements.get(coordinator.value.id) ?? { coordinator: coordinator.source, ids: [] };
    entry.ids.push(settlement.value.id);
    settlements.set(coordinator.value.id, entry);
  }
  for (const [id, { coordinator, ids }] of settlements) {
    const after = new SourceFile(
      coordinator.file,
      planned.find((f) => f.source.file === coordinator.file)?.text ?? coordinator.text,
    );
    decisions.push(
      findingAt(
        after,
        ['kind'],
        'migration-decision',
        {
          en: `${id} coordinates ${ids.join(', ')}: version 2 calls a district administration municipal-district (the settlements' coordinator); if ${id} is one, write kind: municipal-district (migrate cannot decide it)`,
          ru: `${id} координирует ${ids.join(', ')}: в версии 2 администрация района — municipal-district (координатор поселений); если ${id} — она, напишите kind: municipal-district (migrate решить этого не может)`,
        },
        { severity: 'warning' },
      ),
    );
  }

  // The version last: a run stopped half-way leaves a version-1 inventory that the next run finishes.
  const editor = new YamlEditor(operator.source.text, operator.source.file);
  editor.set(['version'], CURRENT_VERSION, { first: true });
  const operatorAfter = new SourceFile(operator.source.file, editor.text);
  planned.push({
    source: operator.source,
    text: editor.text,
    changes: [
      change(operatorAfter, ['version'], {
        en: `version: ${CURRENT_VERSION}, the contract the inventory follows (was ${from})`,
        ru: `version: ${CURRENT_VERSION} — версия формата реестра (была ${from})`,
      }),
    ],
  });

  if (!options.check) {
    for (const file of planned) {
      const read = file.source.text;
      await writeAtomic(path.join(root, file.source.file), file.text, {
        // Only over the very text migrated: a file changed meanwhile is not overwritten.
        replaces: (existing) =>
          existing === read
            ? undefined
            : {
                en: 'changed while it was migrated; nothing written to it, run migrate again',
                ru: 'изменён во время миграции; в него ничего не записано, запустите migrate снова',
              },
      });
    }
  }
  return {
    from,
    to: CURRENT_VERSION,
    due: true,
    written: !options.check,
    files: planned.map((f) => ({ file: f.source.file, changes: f.changes })),
    decisions: decisions.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)),
  };
}
