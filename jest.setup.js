// The cpu backend greets Node users with a "install tfjs-node" banner on first use; tests choose
// their backend on purpose, so silence tfjs warnings here (production code still shows them).
require('@tensorflow/tfjs-core').env().set('IS_TEST', true);
