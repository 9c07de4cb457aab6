// Mixed load for benches/load/mixed.sh: ingests and analytical reads at steady rates, side by
// side, with autocannon (each at a fixed overall rate, so a slow answer delays nothing else).
// Every upload is a new filing: the document named by DOC with one line appended. Reads cycle
// through the statements, comparison, non-GAAP, series, facts and filings endpoints of the
// company the first upload created. Prints one JSON object: per stream the requests sent,
// throughput, p50/p99 latency in ms, errors and non-2xx answers.
'use strict'

const fs = require('fs')
const autocannon = require('autocannon')

const base = process.env.BASE
const duration = Number(process.env.DURATION || 60)
const ingestRate = Number(process.env.INGEST_RATE || 10)
const readRate = Number(process.env.READ_RATE || 200)
const company = process.env.COMPANY || '1'
const period = process.env.PERIOD || 'FY2003-Q2'
const document = fs.readFileSync(process.env.DOC)
const run = `${process.pid}-${Date.now()}`
let copies = 0

const ingest = {
  url: base,
  connections: 8,
  duration,
  overallRate: ingestRate,
  requests: [{
    method: 'POST',
    path: '/v1/filings',
    headers: { 'content-type': 'text/plain' },
    setupRequest: (request) => {
      copies += 1
      request.body = Buffer.concat([document, Buffer.from(`\nLoad copy ${run}-${copies}\n`)])
      return request
    },
  }],
}

const reads = {
  url: base,
  connections: 8,
  duration,
  overallRate: readRate,
  requests: [
    `/v1/companies/${company}/statements/income_statement?period=${period}&basis=all`,
    `/v1/companies/${company}/statements/balance_sheet?period=I-2003-06-30,I-2002-12-31`,
    `/v1/companies/${company}/comparisons?statement=income_statement&period=${period}&compare=qoq`,
    `/v1/companies/${company}/non-gaap?period=${period}`,
    `/v1/companies/${company}/series/revenue?months=3`,
    '/v1/filings/1/facts?limit=100',
    `/v1/filings?company=${company}&limit=20`,
  ].map((path) => ({ method: 'GET', path })),
}

function summary(result) {
  return {
    requests: result.requests.total,
    per_second: result.requests.average,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non_2xx: result.non2xx,
    by_status: result.statusCodeStats,
  }
}

Promise.all([autocannon(ingest), autocannon(reads)]).then(([ingested, read]) => {
  process.stdout.write(JSON.stringify({ ingest: summary(ingested), reads: summary(read) }) + '\n')
}).catch((error) => {
  process.stderr.write(`mixed.js: ${error}\n`)
  process.exit(1)
})
