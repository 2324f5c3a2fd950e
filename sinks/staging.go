package sinks

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/filelock"
)

// stagingPattern names the local folders object-storage runs stage in.
const stagingPattern = "reviewpipe-staging-"

// staleUnlockedStaging is how old a staging folder without a lock file
// must be before it counts as abandoned: the lock is taken right after
// the folder is made, so only a process killed in between leaves one.
const staleUnlockedStaging = time.Hour

// stagingDir is a run's local staging folder, locked while the run lives:
// a run killed with SIGKILL cannot delete its copy of the run's data, so
// the next run deletes every staging folder whose lock nobody holds.
type stagingDir struct {
	path    string
	file    *os.File
	release func()
}

func newStagingDir(log *slog.Logger) (*stagingDir, error) {
	dir, err := os.MkdirTemp("", stagingPattern)
	if err != nil {
		return nil, fmt.Errorf("creating a staging folder: %w", err)
	}
	f, err := os.Create(filepath.Join(dir, ".lock"))
	if err == nil {
		var release func()
		if release, err = filelock.TryLock(f); err == nil {
			removeStaleStaging(dir, log)
			return &stagingDir{path: dir, file: f, release: release}, nil
		}
		f.Close()
	}
	os.RemoveAll(dir)
	return nil, fmt.Errorf("locking the staging folder %s: %w", dir, err)
}

// remove deletes the folder and releases its lock.
func (s *stagingDir) remove() {
	os.RemoveAll(s.path)
	if s.release != nil {
		s.release()
		s.file.Close()
		s.release = nil
	}
}

// removeStaleStaging deletes the staging folders of runs that died: those
// whose lock can be taken. Folders of live runs, locked, are left alone.
func removeStaleStaging(own string, log *slog.Logger) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), stagingPattern+"*"))
	for _, dir := range dirs {
		if dir == own {
			continue
		}
		f, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_RDWR, 0)
		if err != nil {
			if st, serr := os.Stat(dir); serr == nil && st.IsDir() && time.Since(st.ModTime()) > staleUnlockedStaging {
				os.RemoveAll(dir)
			}
			continue
		}
		release, err := filelock.TryLock(f)
		if err != nil {
			f.Close()
			continue // a live run's
		}
		if err := os.RemoveAll(dir); err == nil {
			log.Info("removed the staging folder of a run that died", "dir", dir)
		}
		release()
		f.Close()
	}
}
