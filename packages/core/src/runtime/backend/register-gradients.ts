// tfjs-core's CommonJS build ships no gradient functions; they live apart from the ops in
// `dist/register_all_gradients` (ES modules only). Core's build bundles that module (tsup
// `noExternal`), and jest transforms it, so the gradients register into the kernel registry every
// copy of tfjs-core shares (a global), without depending on the `@tensorflow/tfjs` umbrella and
// its layers, converter, data and webgl packages.
// tfjs-core's CommonJS entry must load first: it creates the global engine that every copy then shares.
// When the ES-module copy loaded by the gradients creates it instead, gradients through tf.addN come
// back null (HRNet's fuse layers: "Cannot read properties of null (reading 'clone')" in AddN_grad).
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
