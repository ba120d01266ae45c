// tfjs-core ships its gradient definitions apart from the ops, as ES modules only; the
// `@tensorflow/tfjs` bundle carries them compiled for Node against the same tfjs-core instance.
// Core computes gradients, so it loads them once here.
import '@tensorflow/tfjs';
