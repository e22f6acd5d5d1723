import { ensureLabImage } from './dist/src/infra/lab/image.js';
const t = Date.now();
console.log(await ensureLabImage(console.log), (Date.now()-t)/1000);
