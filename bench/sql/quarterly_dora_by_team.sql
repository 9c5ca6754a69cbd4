-- The quarterly DORA numbers of every team (project) over the last four quarters and this one,
-- from the analytics tables (docs/bi.md, "Example SQL"): one row per project and quarter of
-- metrics_quarterly, whose medians are the quarter's own (a quarter's median is no sum of days').
SELECT project_key AS team,
       period_start::date AS quarter,
       deployments,
       change_fail_rate,
       lead_time_median_s / 3600 AS lead_time_median_h,
       recovery_median_s / 3600 AS recovery_median_h,
       rework_rate,
       incidents
FROM leadline_analytics.metrics_quarterly
WHERE scope_kind = 'project'
  AND period_start >= date_trunc('quarter', now()) - interval '1 year'
ORDER BY team, quarter;
