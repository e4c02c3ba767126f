/**
 * The public face of the API: a regional REST API (proxy to the one API function) behind a WAF
 * web ACL that limits each caller, not the route: POST /v1/auth per source IP, every other route
 * per bearer token (that is, per rig key) and per source IP (forged tokens), and requests without
 * a token-shaped bearer never reach the function. No limit is shared by all rigs. Why a REST API and not an HTTP API: docs/technology-choices.md ("API front door").
 */
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';

/** The stage name is the URL's first segment: https://<id>.execute-api.<region>.amazonaws.com/api/v1/auth. */
export const STAGE = 'api';
/** WAF counts over five-minute windows. */
const WINDOW_SEC = 300;

type Statement = wafv2.CfnWebACL.StatementProperty;
const none = [{ priority: 0, type: 'NONE' }];
const pathEndsWith = (suffix: string): Statement => ({
  byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'ENDS_WITH', searchString: suffix, textTransformations: none },
});
const bearerToken: Statement = {
  byteMatchStatement: {
    fieldToMatch: { singleHeader: { Name: 'authorization' } },
    positionalConstraint: 'STARTS_WITH',
    searchString: 'bearer rpt1.',
    textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
  },
};
const visibility = (name: string) => ({ cloudWatchMetricsEnabled: true, metricName: `recpipe-${name}`, sampledRequestsEnabled: true });

export class ApiFrontDoor extends Construct {
  readonly api: apigw.RestApi;
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, cfg: InfraConfig, fn: lambda.IFunction) {
    super(scope, id);
    this.api = new apigw.RestApi(this, 'Api', {
      description: 'recpipe ingestion API',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // The account-level API Gateway logging role is not this stack's to own; the function logs every request.
      cloudWatchRole: false,
      // No stage-wide throttle: one number shared by every rig is a lock-out any caller can trigger.
      // Limits are per caller, in WAF: per rig key (bearer token), per source address.
      deployOptions: { stageName: STAGE, metricsEnabled: true },
    });
    const integration = new apigw.LambdaIntegration(fn);
    this.api.root.addResource('v1').addResource('auth').addMethod('POST', integration);
    this.api.root.addProxy({ defaultIntegration: integration, anyMethod: true });

    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      {
        name: 'ip-reputation',
        priority: 0,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' } },
        visibilityConfig: visibility('ip-reputation'),
      },
      {
        // Every route but /v1/auth needs a token; without one the function is never invoked.
        name: 'token-required',
        priority: 1,
        action: { block: {} },
        statement: { andStatement: { statements: [{ notStatement: { statement: pathEndsWith('/v1/auth') } }, { notStatement: { statement: bearerToken } }] } },
        visibilityConfig: visibility('token-required'),
      },
      {
        name: 'auth-per-ip',
        priority: 2,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            limit: cfg.authPerIpPer5Min,
            evaluationWindowSec: WINDOW_SEC,
            scopeDownStatement: pathEndsWith('/v1/auth'),
          },
        },
        visibilityConfig: visibility('auth-per-ip'),
      },
      {
        // One aggregation instance per bearer token; requests without the header are not counted
        // here (the token-required rule has already blocked them).
        name: 'requests-per-token',
        priority: 3,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'CUSTOM_KEYS',
            customKeys: [{ header: { name: 'authorization', textTransformations: none } }],
            limit: cfg.requestsPerTokenPer5Min,
            evaluationWindowSec: WINDOW_SEC,
          },
        },
        visibilityConfig: visibility('requests-per-token'),
      },
      {
        // Bearer tokens are only checked for shape here, so a flood of forged tokens would get one
        // counter each above: this rule caps every source address on the token routes. Sized for a
        // lab's rigs behind one NAT address.
        name: 'requests-per-ip',
        priority: 4,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            limit: cfg.requestsPerIpPer5Min,
            evaluationWindowSec: WINDOW_SEC,
            scopeDownStatement: { notStatement: { statement: pathEndsWith('/v1/auth') } },
          },
        },
        visibilityConfig: visibility('requests-per-ip'),
      },
    ];
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', { scope: 'REGIONAL', defaultAction: { allow: {} }, rules, visibilityConfig: visibility('api') });
    NagSuppressions.addResourceSuppressions(
      this.api,
      [
        {
          id: 'AwsSolutions-APIG2',
          reason:
            'The function validates every body against the API contract (src/backend/handlers/schema.ts) and answers 400 naming the field; one validator, not two.',
        },
        {
          id: 'AwsSolutions-APIG6',
          reason:
            'Execution logging needs the account-wide API Gateway CloudWatch role, which this stack does not own; the function logs every request with a request id.',
        },
        { id: 'AwsSolutions-APIG1', reason: 'Access logging is left to the function logs (every request is logged there with a request id).' },
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'Authorization is the recpipe token checked by the function on every route but /v1/auth (which takes an API key and is rate-limited per source IP by WAF).',
        },
        {
          id: 'AwsSolutions-COG4',
          reason:
            'Rigs authenticate with recpipe API keys and short-lived tokens checked by the function (token shape also checked by the WAF rule token-required); there are no Cognito users.',
        },
      ],
      true,
    );
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
