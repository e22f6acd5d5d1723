// report: renders one CheckResult as JSON, JUnit XML, Markdown and a self-contained HTML page.
// Pure text from the result model; imports only from drift (and its upstream).
export * from './formats.js';
export * from './html.js';
export * from './i18n.js';
export * from './metrics.js';
