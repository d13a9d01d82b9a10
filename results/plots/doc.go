// Package plots draws a sweep's results with gonum.org/v1/plot, as SVG and
// PNG files:
//
//   - ValidationByEpoch: each group's primary validation metric per epoch,
//     the mean over seeds as a line with a band (the 95% Student-t interval
//     of the mean by default, or ± 1 sample std);
//   - ValidationByTime: the same against the mean cumulative training time;
//   - AuxiliaryWeights: one figure per auxiliary task, each strategy's loss
//     weight per epoch as a step line, with a dashed line after a Switch
//     strategy's last auxiliary epoch (read from its spec, switch:epoch=T);
//   - TimeToTarget: horizontal bars of the Kaplan–Meier median seconds to
//     reach the report's target (unreached runs censored), with the report's
//     bootstrap 95% interval as error bars and the runs that reached it;
//   - DiminishHeatMaps: per Diminish η × ν grid of the report, heat maps
//     (rows η, columns ν, each cell labelled) of the mean test metric and of
//     the time saved vs MTL, coloured around 0.
//
// All writes every figure of a results.SweepReport. Each function writes its
// files atomically into a directory and returns their paths.
package plots
