// The lab's progress speaks the CLI's language: Russian by default, English under --lang en —
// building and importing an image, taking the lab down. Docker and the image build are stood in
// for (the integration suite runs the real ones).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Words } from '../src/words.js';

const infra = vi.hoisted(() => ({
  docker: vi.fn(),
  listByLabel: vi.fn(),
  listContainers: vi.fn(),
  inspectMany: vi.fn(),
}));
vi.mock('../src/infra/index.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/infra/index.js')>()),
  ...infra,
}));
const run = vi.hoisted(() => vi.fn());
vi.mock('execa', async (importOriginal) => ({ ...(await importOriginal<typeof import('execa')>()), execa: run }));

const { ensureImage, LAB_IMAGE } = await import('../lab/image.js');
const { buildLabProgram } = await import('../lab/cli.js');

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe("the lab's progress", () => {
  it('building and importing an image, in both languages', async () => {
    infra.docker.mockRejectedValueOnce(new Error('No such image'));
    run.mockResolvedValue({ stdout: '' });
    const said: Words[] = [];
    const tag = await ensureImage(LAB_IMAGE, (words) => said.push(words));
    expect(said.map((w) => w.ru)).toEqual([
      expect.stringMatching(new RegExp(`^сборка образа ${tag}: debootstrap bookworm из \\S+ \\(минуту-две\\)$`)),
      `импорт образа ${tag}`,
    ]);
    expect(said.map((w) => w.en)).toEqual([expect.stringMatching(/^building /), `importing ${tag}`]);
  });

  it.each([
    [[] as string[], 'лаборатория остановлена: удалено контейнеров 0, сетей 0', 'удалено контейнеров: 0, сетей: 0'],
    [['--lang', 'en'], 'lab down: removed 0 containers and 0 networks', 'removed 0 containers and 0 networks'],
  ])('`prichal-lab down %s` says what it removed in the language', async (args, progress, result) => {
    infra.listByLabel.mockResolvedValue([]);
    infra.inspectMany.mockResolvedValue([]);
    const stderr: string[] = [];
    const stdout: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => stderr.push(String(text)) > 0);
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => stdout.push(String(text)) > 0);
    await buildLabProgram(args.length ? 'en' : 'ru').parseAsync(['down', ...args], { from: 'user' });
    expect(stderr.join('')).toBe(`${progress}\n`);
    expect(stdout.join('')).toBe(`${result}\n`);
  });
});
