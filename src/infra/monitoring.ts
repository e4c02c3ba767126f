/** Alarms to an SNS topic: dead letters, function errors, and no upload from any rig for N hours. */
import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import type { Compute } from './compute.js';

export class Monitoring extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, cfg: InfraConfig, compute: Compute) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Alarms', { masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'), enforceSSL: true });
    if (cfg.alarmEmail) this.topic.addSubscription(new subs.EmailSubscription(cfg.alarmEmail));
    const notify = new actions.SnsAction(this.topic);
    const alarm = (name: string, metric: cw.Metric, props: Partial<cw.CreateAlarmOptions> = {}) =>
      metric.createAlarm(this, name, { threshold: 0, evaluationPeriods: 1, comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD, treatMissingData: cw.TreatMissingData.NOT_BREACHING, alarmDescription: `recpipe: ${name} (see docs/operations.md)`, ...props }).addAlarmAction(notify);
    alarm('DeadLetters', compute.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }));
    alarm('ApiErrors', compute.apiFunction.metricErrors({ period: Duration.minutes(5) }));
    alarm('ProcessingErrors', compute.processFunction.metricErrors({ period: Duration.minutes(5) }));
    const failed = new logs.MetricFilter(this, 'ProcessFailures', {
      logGroup: compute.processLogs,
      filterPattern: logs.FilterPattern.stringValue('$.event', '=', 'process.dead'),
      metricNamespace: 'recpipe',
      metricName: 'DeadSessions',
      metricValue: '1',
    });
    alarm('DeadSessions', failed.metric({ period: Duration.minutes(5), statistic: 'Sum' }));
    const commits = new logs.MetricFilter(this, 'Commits', {
      logGroup: compute.apiLogs,
      filterPattern: logs.FilterPattern.stringValue('$.event', '=', 'api.commit'),
      metricNamespace: 'recpipe',
      metricName: 'Commits',
      metricValue: '1',
      defaultValue: 0,
    });
    alarm('NoUploads', commits.metric({ period: Duration.hours(cfg.noUploadHours), statistic: 'Sum' }), {
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      treatMissingData: cw.TreatMissingData.BREACHING,
      alarmDescription: `recpipe: no session committed by any rig for ${cfg.noUploadHours} hours`,
    });
  }
}
