import { fileFormat, formatJsonSchema, formatJsonSchemaText } from '../project/file-formats.js';

const SCENARIO = fileFormat('scenario');

/** Where the generated schema lives, relative to the package root (scenarios refer to it). */
export const SCENARIO_SCHEMA_FILE = SCENARIO.schemaFile;

/** The JSON Schema of scenario files, generated from the zod schema (harness/project/file-formats.ts). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return formatJsonSchema(SCENARIO);
}

export function scenarioJsonSchemaText(): string {
  return formatJsonSchemaText(SCENARIO);
}
