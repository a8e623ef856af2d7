/**
 * The self-contained HTML report of one or more runs ({@link org.ocsp.flink.report.HtmlReport},
 * CLI {@link org.ocsp.flink.report.ReportCommand}). Chart.js 4.6.1 (UMD build) and
 * chartjs-chart-matrix 3.1.0 are vendored under {@code src/main/resources/report/} with their MIT
 * licences and inlined into every report; refresh them with {@code npm pack chart.js@4
 * chartjs-chart-matrix@3} and copy {@code dist/chart.umd.min.js} and
 * {@code dist/chartjs-chart-matrix.min.js}.
 */
package org.ocsp.flink.report;
