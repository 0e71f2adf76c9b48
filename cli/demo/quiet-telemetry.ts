import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** The handler's logger and metrics, silenced so the demo's own table stays readable. */
export function quietLogger(): Logger {
  return new Logger({ logLevel: 'SILENT', serviceName: 'residual-demo' });
}

export function quietMetrics(): Metrics {
  const metrics = new Metrics({ namespace: 'residual', serviceName: 'residual-demo' });
  metrics.setThrowOnEmptyMetrics(false);
  // EMF lines go to stdout in Lambda; here nobody collects them (nor the ColdStart metric's own single-metric line)
  const silence = (m: Metrics) => ((m as unknown as { console: { log: () => void } }).console = { log: () => undefined });
  silence(metrics);
  const single = metrics.singleMetric.bind(metrics);
  metrics.singleMetric = () => {
    const m = single();
    silence(m);
    return m;
  };
  return metrics;
}
