// The YAML parser, loaded on first use: `yaml` is ~100 modules' worth of code (~0.1-0.4 s of module loading) and most
// runs (tllib logs, CSV without hparams.yaml, TensorBoard) never need it; a static import made every start pay.
type Yaml = typeof import('yaml');
let loaded: Promise<Yaml> | undefined;

export function loadYaml(): Promise<Yaml> {
  return (loaded ??= import('yaml'));
}
