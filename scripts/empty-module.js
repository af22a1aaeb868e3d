// Stands in for optional modules the bundled UI never loads (react-devtools-core).
export default {};
