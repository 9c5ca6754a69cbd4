-- The same quarterly DORA numbers by team, without metrics_quarterly: counts from the daily
-- metric rows, medians over the changes and deployments rows of each quarter (what a BI tool
-- would send if it had only the row tables). For comparison in docs/benchmarks.md.
WITH counts AS (
  SELECT project_key AS team, date_trunc('quarter', period_start) AS quarter,
         SUM(deployments) AS deployments,
         SUM(failed_deployments)::float8 / NULLIF(SUM(deployment_attempts), 0) AS change_fail_rate
  FROM leadline_analytics.metrics_daily
  WHERE scope_kind = 'project' AND period_start >= date_trunc('quarter', now()) - interval '1 year'
  GROUP BY 1, 2),
lead AS (
  SELECT project_key AS team, date_trunc('quarter', deployed_at) AS quarter,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY lead_time_s) AS lead_time_median_s
  FROM leadline_analytics.changes
  WHERE deployed_at >= date_trunc('quarter', now()) - interval '1 year'
  GROUP BY 1, 2),
recovery AS (
  SELECT project_key AS team, date_trunc('quarter', finished_at) AS quarter,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY recovery_s) AS recovery_median_s
  FROM leadline_analytics.deployments
  WHERE recovery_s IS NOT NULL
    AND finished_at >= date_trunc('quarter', now()) - interval '1 year'
  GROUP BY 1, 2)
SELECT c.team, c.quarter::date AS quarter, c.deployments, c.change_fail_rate,
       l.lead_time_median_s / 3600 AS lead_time_median_h,
       r.recovery_median_s / 3600 AS recovery_median_h
FROM counts c
LEFT JOIN lead l USING (team, quarter)
LEFT JOIN recovery r USING (team, quarter)
ORDER BY c.team, c.quarter;
