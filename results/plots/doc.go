// Package plots draws a sweep's results with gonum.org/v1/plot, as SVG and
// PNG files:
//
//   - ValidationByEpoch: each group's primary validation metric per epoch,
//     the mean over seeds as a line with a band (± 1 sample std by default,
//     or the 95% Student-t interval of the mean);
//   - ValidationByTime: the same against the mean cumulative training time;
//   - AuxiliaryWeights: one figure per auxiliary task, each strategy's loss
//     weight per epoch as a step line, with a dashed line after a Switch
//     strategy's last auxiliary epoch (read from its spec, switch:epoch=T);
//   - TimeToTarget: horizontal bars of the mean seconds to reach the report's
//     target, with 95% interval error bars and the runs that reached it.
//
// All writes every figure of a results.SweepReport. Each function writes its
// files atomically into a directory and returns their paths.
package plots
