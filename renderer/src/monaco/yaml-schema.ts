/**
 * Fixture files edited as text get the fixture format's JSON Schema through monaco-yaml: problems
 * underlined as they are typed, completion of keys and enum values, and the schema's descriptions
 * on hover. monaco-yaml is loaded with the first fixture opened as text, not with Monaco.
 */
import type { Monaco } from './monaco.js';

/** Models under this folder are fixture files; the schema applies to them and nothing else. */
const FIXTURE_FOLDER = 'plugin-studio-fixtures';

export function fixtureModelPath(file: string): string {
  return `file:///${FIXTURE_FOLDER}/${encodeURIComponent(file)}`;
}

let configured: Promise<void> | null = null;

export function applyFixtureSchema(
  monaco: Monaco,
  schema: () => Promise<{ id: string; schema: Record<string, unknown> }>,
): Promise<void> {
  configured ??= Promise.all([
    import('monaco-yaml'),
    import('monaco-editor/esm/vs/internal/common/workers.js'),
    schema(),
  ]).then(([{ configureMonacoYaml }, { createWebWorker }, s]) => {
    // monaco-yaml asks monaco.editor.createWebWorker for a worker by label, the API of Monaco
    // before 0.55; since then that function wants a Worker, and the label-based factory is
    // Monaco's internal one. Given that one, the YAML worker comes from MonacoEnvironment.getWorker.
    const editor = { ...monaco.editor, createWebWorker };
    configureMonacoYaml({ ...monaco, editor } as Monaco, {
      enableSchemaRequest: false,
      validate: true,
      completion: true,
      hover: true,
      schemas: [{ uri: s.id, fileMatch: [`**/${FIXTURE_FOLDER}/**`], schema: s.schema }],
    });
  });
  configured.catch(() => {
    // Retry with the next editor: the schema request may have failed with the connection.
    configured = null;
  });
  return configured;
}
