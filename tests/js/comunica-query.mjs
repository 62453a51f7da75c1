// Runs one SPARQL SELECT with Comunica against a SPARQL endpoint and prints the solutions
// as SPARQL 1.1 Query Results JSON on standard output.
//
//   node comunica-query.mjs http://127.0.0.1:8000/sparql 'SELECT ...'
//   echo 'SELECT ...' | node comunica-query.mjs http://127.0.0.1:8000/sparql
//
// The endpoint is given to Comunica as a 'sparql@URL' source ({type: 'sparql', value: URL}), so Comunica talks to it as a
// SPARQL 1.1 Protocol client. Exit status 1 with the error on standard error if anything fails.
import { QueryEngine } from '@comunica/query-sparql';

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function term(t) {
  switch (t.termType) {
    case 'NamedNode':
      return { type: 'uri', value: t.value };
    case 'BlankNode':
      return { type: 'bnode', value: t.value };
    case 'Literal': {
      const out = { type: 'literal', value: t.value };
      if (t.language) out['xml:lang'] = t.language;
      else if (t.datatype && t.datatype.value !== XSD_STRING && t.datatype.value !== RDF_LANG_STRING) {
        out.datatype = t.datatype.value;
      }
      return out;
    }
    case 'Quad':
      return { type: 'triple', value: { subject: term(t.subject), predicate: term(t.predicate), object: term(t.object) } };
    default:
      throw new Error(`unexpected term type ${t.termType}`);
  }
}

async function main() {
  const [endpoint, queryArg] = process.argv.slice(2);
  if (!endpoint) throw new Error('usage: node comunica-query.mjs ENDPOINT-URL [QUERY]');
  const query = queryArg ?? await readStdin();
  const engine = new QueryEngine();
  // The JavaScript form of the command line's `sparql@URL` source.
  const result = await engine.query(query, { sources: [{ type: 'sparql', value: endpoint }], lenient: false });
  if (result.resultType !== 'bindings') throw new Error(`expected a SELECT query, got a ${result.resultType} result`);
  const stream = await result.execute();
  const metadata = await result.metadata();
  const vars = metadata.variables.map((v) => (v.variable ?? v).value);
  const bindings = [];
  for (const solution of await stream.toArray()) {
    const row = {};
    for (const [variable, value] of solution) row[variable.value] = term(value);
    bindings.push(row);
  }
  process.stdout.write(JSON.stringify({ head: { vars }, results: { bindings } }) + '\n');
}

main().catch((error) => {
  process.stderr.write(`comunica-query: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
