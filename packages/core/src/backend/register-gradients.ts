// tfjs-core's CommonJS build ships no gradient functions; they live apart from the ops in
// `dist/register_all_gradients` (ES modules only). Core's build bundles that module (tsup
// `noExternal`), and jest transforms it, so the gradients register into the kernel registry every
// copy of tfjs-core shares (a global), without depending on the `@tensorflow/tfjs` umbrella and
// its layers, converter, data and webgl packages.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
