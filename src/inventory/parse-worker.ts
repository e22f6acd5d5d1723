// A worker thread of the parallel parse (parse-pool.ts): checks the files it is sent with the
// same checkFile as the main thread and returns the plain data and findings.
import { parentPort } from 'node:worker_threads';
import { checkFile } from './file-check.js';

export interface ParseJob {
  file: string;
  text: string;
}

parentPort!.on('message', (jobs: ParseJob[]) => {
  parentPort!.postMessage(jobs.map(({ file, text }) => checkFile(file, text)));
});
