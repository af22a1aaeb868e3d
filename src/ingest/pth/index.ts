// Public entry of the PyTorch checkpoint reader: readPth and the allow-listing pickle VM it is built on.
export { readPth, readPthBuffer, DEFAULT_MAX_TENSOR_BYTES, type PthOptions, type PthResult } from './read-pth.js';
export { unpickle, DEFAULT_PICKLE_LIMITS, type PickleLimits, type UnpickleOptions, type UnpickleResult } from './pickle-vm.js';
export { Placeholder } from './values.js';
