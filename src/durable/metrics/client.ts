/** The one metrics object of a deployment (MetricsStore). */
export function metricsStore(env: Env) {
  return env.METRICS.get(env.METRICS.idFromName('metrics'));
}
