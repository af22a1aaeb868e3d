// Public entry of the NumPy readers: .npy arrays, .npz archives and header-only listings.
export { readNpy, decodeNpy, DEFAULT_MAX_ARRAY_BYTES, type NpyOptions } from './read-npy.js';
export { readNpz, readNpzDetailed, listNpz, listNpzDetailed, type NpzOptions, type NpzResult, type NpzListing } from './read-npz.js';
export { parseNpyHeader, parseDescr, type NpyHeader } from './header.js';
