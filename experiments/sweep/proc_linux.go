//go:build linux

package sweep

import (
	"os/exec"
	"syscall"
)

// dieWithParent asks the kernel to send the worker SIGTERM when the runner
// dies, even by SIGKILL, so no orphan keeps training a trial that a rerun
// will start again. The worker's parent-PID watch covers other systems.
func dieWithParent(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGTERM
}
