/* fiu_nth: fail the n-th call of one libfiu POSIX failure point (issue 9, io_faults.py).
 *
 * libfiu's POSIX preload (fiu_posix_preload.so, Debian's libfiu0) wraps pwrite, fsync,
 * fdatasync, ftruncate and the rest, and asks libfiu at every call whether to fail it; its remote
 * control can enable a point always, at random or once, but cannot count. This small preload,
 * loaded after it, registers an external callback for one point that counts the calls and fails
 * the n-th (one-shot) or the n-th and every later one (persistent), with a chosen errno.
 *
 * Environment (read once, at load):
 *   FIU_NTH_POINT    the failure point, e.g. posix/io/sync/fdatasync
 *   FIU_NTH_N        1-based call number to fail, counted from arming
 *   FIU_NTH_MODE     "oneshot" or "persistent"
 *   FIU_NTH_ERRNO    the errno the failed call sets (default EIO)
 *   FIU_NTH_ARM      a file: calls are counted only while it exists (so that startup is not
 *                    counted); a persistent failure ends when it is removed ("the disk is back")
 *   FIU_NTH_LOG      a file: one line per call failed ("fail POINT CALL ERRNO"), and a
 *                    "calls POINT N" line with the count so far when the arm file disappears and
 *                    when the process exits normally
 *
 * It is linked against fiu_posix_preload.so (a DT_NEEDED entry) so that the dynamic loader runs
 * the wrappers' initialisation first, whatever the order in LD_PRELOAD: fiu_init() allocates
 * through the wrapped malloc, which crashes before the wrappers found the real one.
 *
 * The callback runs inside libfiu's fiu_fail(), which does not recurse into itself, so it may use
 * wrapped functions; it still talks to the kernel through syscall() to stay out of the way. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fiu-control.h>
#include <fiu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char point[256];
static char arm_path[4096];
static long fail_at = 1;
static int persistent = 0;
static long err = EIO;
static int log_fd = -1;
static long calls = 0;  /* calls counted while armed */
static int was_armed = 0;

static int armed(void) {
  struct stat st;
  return arm_path[0] == '\0' || syscall(SYS_newfstatat, AT_FDCWD, arm_path, &st, 0) == 0;
}

static void log_line(const char *text) {
  if (log_fd >= 0) (void)syscall(SYS_write, log_fd, text, strlen(text));
}

static int decide(const char *name, int *failnum, void **failinfo, unsigned int *flags) {
  (void)name;
  (void)failnum;
  (void)flags;
  char line[400];
  if (!armed()) {
    if (was_armed) {
      was_armed = 0;
      snprintf(line, sizeof line, "calls %s %ld\n", point, calls);
      log_line(line);
    }
    return 0;
  }
  was_armed = 1;
  const long n = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
  const int fail = persistent ? n >= fail_at : n == fail_at;
  if (fail) {
    *failinfo = (void *)err;
    snprintf(line, sizeof line, "fail %s %ld %ld\n", point, n, err);
    log_line(line);
  }
  return fail;
}

__attribute__((destructor)) static void fiu_nth_exit(void) {
  if (!point[0]) return;
  char line[400];
  snprintf(line, sizeof line, "calls %s %ld\n", point, __atomic_load_n(&calls, __ATOMIC_SEQ_CST));
  log_line(line);
}

__attribute__((constructor)) static void fiu_nth_init(void) {
  const char *p = getenv("FIU_NTH_POINT");
  if (!p || !*p) return;
  snprintf(point, sizeof point, "%s", p);
  const char *n = getenv("FIU_NTH_N");
  if (n) fail_at = strtol(n, NULL, 10);
  const char *mode = getenv("FIU_NTH_MODE");
  persistent = mode && strcmp(mode, "persistent") == 0;
  const char *e = getenv("FIU_NTH_ERRNO");
  if (e) err = strtol(e, NULL, 10);
  const char *arm = getenv("FIU_NTH_ARM");
  if (arm) snprintf(arm_path, sizeof arm_path, "%s", arm);
  const char *log = getenv("FIU_NTH_LOG");
  if (log && *log) log_fd = (int)syscall(SYS_openat, AT_FDCWD, log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  fiu_init(0);
  if (fiu_enable_external(point, 1, (void *)err, 0, decide) != 0) {
    static const char msg[] = "fiu_nth: fiu_enable_external failed\n";
    (void)syscall(SYS_write, 2, msg, sizeof msg - 1);
  }
}
