/**
 * Alarms to an SNS topic: dead letters, function errors, no upload from any rig for N hours, a
 * rig writing more raw bytes in a day than expected, and any call that could disable, delete or
 * re-share the raw data key. The topic has its own customer managed key: CloudWatch and
 * EventBridge cannot publish to a topic encrypted with the AWS managed key (alias/aws/sns).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import type { Compute } from './compute.js';
import { EVENTS } from '../core/events.js';
import { keyAttemptsRule } from './raw-key.js';

export class Monitoring extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, cfg: InfraConfig, compute: Compute, rawKey: kms.IKey) {
    super(scope, id);
    const { account, partition, region } = Stack.of(this);
    // CloudWatch publishes on behalf of this account's alarms only (confused deputy); EventBridge's
    // KMS request carries no source keys, so its key grant cannot be conditioned (SNS developer
    // guide, "Enable compatibility between event sources from AWS services and encrypted topics").
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
    };
    const topicKey = new kms.Key(this, 'AlarmsKey', { enableKeyRotation: true, description: 'recpipe alarm topic' });
    const useKey = (service: string, conditions?: Record<string, unknown>) =>
      topicKey.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal(service)],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions,
        }),
      );
    useKey('cloudwatch.amazonaws.com', fromOurAlarms);
    useKey('events.amazonaws.com');
    this.topic = new sns.Topic(this, 'Alarms', { masterKey: topicKey, enforceSSL: true });
    // A topic policy replaces SNS's default one, so every publisher is named: CloudWatch alarms
    // here, EventBridge by its target (knowledge center "cloudwatch-receive-sns-for-alarm-trigger").
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    if (cfg.alarmEmail) this.topic.addSubscription(new subs.EmailSubscription(cfg.alarmEmail));
    const notify = new actions.SnsAction(this.topic);
    const alarm = (name: string, metric: cw.Metric, props: Partial<cw.CreateAlarmOptions> = {}) =>
      metric
        .createAlarm(this, name, {
          threshold: 0,
          evaluationPeriods: 1,
          comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: cw.TreatMissingData.NOT_BREACHING,
          alarmDescription: `recpipe: ${name} (see docs/operations.md)`,
          ...props,
        })
        .addAlarmAction(notify);
    alarm('DeadLetters', compute.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }));
    alarm('ApiErrors', compute.apiFunction.metricErrors({ period: Duration.minutes(5) }));
    alarm('ProcessingErrors', compute.processFunction.metricErrors({ period: Duration.minutes(5) }));
    const failed = new logs.MetricFilter(this, 'ProcessFailures', {
      logGroup: compute.processLogs,
      filterPattern: logs.FilterPattern.stringValue('$.event', '=', EVENTS.processDead.name),
      metricNamespace: 'recpipe',
      metricName: 'DeadSessions',
      metricValue: '1',
    });
    // The container path's jobs log the same events to their own log group: same metric.
    new logs.MetricFilter(this, 'JobFailures', {
      logGroup: compute.job.logs,
      filterPattern: logs.FilterPattern.stringValue('$.event', '=', EVENTS.processDead.name),
      metricNamespace: 'recpipe',
      metricName: 'DeadSessions',
      metricValue: '1',
    });
    alarm('DeadSessions', failed.metric({ period: Duration.minutes(5), statistic: 'Sum' }));
    const commits = new logs.MetricFilter(this, 'Commits', {
      logGroup: compute.apiLogs,
      filterPattern: logs.FilterPattern.stringValue('$.event', '=', EVENTS.apiCommit.name),
      metricNamespace: 'recpipe',
      metricName: 'Commits',
      metricValue: '1',
      defaultValue: 0,
    });
    // Each charge logs the rig's running total for the UTC day; the maximum over all rigs is the
    // busiest rig's bytes so far today.
    new logs.MetricFilter(this, 'RigBytesToday', {
      logGroup: compute.apiLogs,
      filterPattern: logs.FilterPattern.stringValue('$.event', '=', EVENTS.quotaCharged.name),
      metricNamespace: 'recpipe',
      metricName: 'RigBytesToday',
      metricValue: '$.rigBytesToday',
      dimensions: { rig: '$.rig' },
    });
    const busiest = new logs.MetricFilter(this, 'BusiestRigBytesToday', {
      logGroup: compute.apiLogs,
      filterPattern: logs.FilterPattern.stringValue('$.event', '=', EVENTS.quotaCharged.name),
      metricNamespace: 'recpipe',
      metricName: 'BusiestRigBytesToday',
      metricValue: '$.rigBytesToday',
    });
    alarm('RigRawBytes', busiest.metric({ period: Duration.minutes(5), statistic: 'Maximum' }), {
      threshold: cfg.rigBytesAlarm,
      alarmDescription: `recpipe: a rig signed more than ${cfg.rigBytesAlarm} raw bytes today (quota ${cfg.rigBytesPerDay}); see the RigBytesToday metric by rig`,
    });
    keyAttemptsRule(this, 'RawKeyAttempts', rawKey).addTarget(new targets.SnsTopic(this.topic));
    alarm('NoUploads', commits.metric({ period: Duration.hours(cfg.noUploadHours), statistic: 'Sum' }), {
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      treatMissingData: cw.TreatMissingData.BREACHING,
      alarmDescription: `recpipe: no session committed by any rig for ${cfg.noUploadHours} hours`,
    });
  }
}
