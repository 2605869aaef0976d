// Parses and validates an AsyncAPI document with the official parser (external $refs resolved);
// prints every diagnostic and exits 1 when any is an error.  Usage: node check-asyncapi.mjs FILE
import { Parser, fromFile } from '@asyncapi/parser';

const file = process.argv[2];
const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, file).parse();
const severities = ['error', 'warning', 'info', 'hint'];
for (const d of diagnostics) {
  console.log(`${severities[d.severity]} ${d.code} ${d.path.join('.')}: ${d.message}`);
}
const errors = diagnostics.filter((d) => d.severity === 0).length;
if (!document || errors > 0) {
  console.log(`${errors} error(s)`);
  process.exit(1);
}
console.log(`valid: ${document.channels().length} channels, ${document.operations().length} operations, ${document.components().messages().length} messages`);
