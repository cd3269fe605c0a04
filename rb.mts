import run from '/work/main/bench/runtime.bench.ts';
const r = await run();
console.log(JSON.stringify(r, null, 1));
