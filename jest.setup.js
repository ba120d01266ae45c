// tfjs's cpu backend prints an "install tfjs-node" banner on first use; tests pick their backend on
// purpose, so that one banner is dropped. Everything else (and tfjs's own flags) stays as in production.
const warn = console.warn;
console.warn = (...args) => {
  if (typeof args[0] === 'string' && args[0].includes('looks like you are running TensorFlow.js in Node.js')) return;
  warn(...args);
};

// Jest runs test files in parallel workers, so each keeps tfjs-wasm's single-threaded build (an
// explicit setting wins); threaded-wasm.test.ts starts the threaded build on purpose.
process.env.AUSAM_WASM_THREADS ??= '1';
