// The regulations' table lives at the root (src/regulations.ts) so every stage can cite.
export * from '../regulations.js';
