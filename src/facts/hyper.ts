// Rules read hyperparameters through the one alias table and lookup in src/understand/hyper-aliases.ts.
export { HYPER_NAMES, hyperNumber, hyperBool, hyperString, showHyper, type HyperHit } from '../understand/hyper-aliases.js';
