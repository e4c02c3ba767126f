/** The CDK app: `npm run synth` writes cdk.out/ offline. Settings come from context (-c key=value). */
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { infraConfig } from './config.js';
import { RecpipeStack } from './recpipe-stack.js';
import { applySuppressions } from './nag-suppressions.js';

const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out' });
const cfg = infraConfig((k) => app.node.tryGetContext(k));
const stack = new RecpipeStack(app, 'Recpipe', cfg, { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } });
applySuppressions(stack);
Aspects.of(app).add(new AwsSolutionsChecks());
app.synth();
