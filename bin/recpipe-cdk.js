#!/usr/bin/env node
// `npm run synth`: synthesizes the AWS stack offline into cdk.out/ (compiled by `npm run build`).
// Context: node bin/recpipe-cdk.js, or `npx cdk synth -c alarmEmail=ops@example.org` with cdk.json.
await import('../dist/infra/app.js');
