//go:build !unix

package sweep

// lockTrial is a no-op where flock(2) is missing: two processes running the
// same trial at once then both write it, the last marker winning.
func lockTrial(dir string) (release func(), ok bool, err error) { return func() {}, true, nil }

func locked(dir string) bool { return false }
