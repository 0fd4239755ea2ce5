// SPDX-License-Identifier: MIT
/* brisa-modem-emu: a SIM7600 on a pseudo-terminal. One event loop polls
 * the pty master, the control socket and the broker connections. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "brisa/port/posix.h"
#include "emu.h"

static emu the_emu;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: brisa-modem-emu --pty PATH [--control SOCKPATH] [--log FILE]\n"
            "                       [--input-timeout MS] [--verbose]\n"
            "\n"
            "Emulates a SIMCom SIM7600 on a pseudo-terminal: PATH becomes a symbolic link\n"
            "to its slave side. The module's MQTT(S) client reaches the broker named in\n"
            "AT+CMQTTCONNECT with brisa's MQTT client and TLS. Runs until SIGTERM.\n"
            "\n"
            "  --pty PATH          symbolic link to create (replaced if it is a link)\n"
            "  --control SOCKPATH  Unix socket for fault injection, one command a line:\n"
            "                      connlost IDX CAUSE | error N | cme CODE | delay MS |\n"
            "                      split N | rxsplit N | reset | poweroff\n"
            "  --log FILE          every command received and line sent, timestamped\n"
            "  --input-timeout MS  how long the bytes announced before a '>' prompt may\n"
            "                      take to arrive (default 10000); then ERROR\n"
            "  --verbose           the same on stderr\n");
}

static int open_pty(emu *e, const char *link_path)
{
    e->pty = posix_openpt(O_RDWR | O_NOCTTY);
    if (e->pty < 0 || grantpt(e->pty) < 0 || unlockpt(e->pty) < 0) {
        fprintf(stderr, "brisa-modem-emu: cannot create a pseudo-terminal: %s\n", strerror(errno));
        return -1;
    }
    const char *name = ptsname(e->pty);
    /* Holding the slave open too keeps the master from reading EIO while
     * no DTE has the port open. */
    e->slave = name != NULL ? open(name, O_RDWR | O_NOCTTY) : -1;
    struct termios tio;
    if (e->slave < 0 || tcgetattr(e->pty, &tio) < 0) {
        fprintf(stderr, "brisa-modem-emu: cannot open the pty slave: %s\n", strerror(errno));
        return -1;
    }
    cfmakeraw(&tio);
    cfsetispeed(&tio, B115200);
    cfsetospeed(&tio, B115200);
    tcsetattr(e->pty, TCSANOW, &tio);
    fcntl(e->pty, F_SETFL, fcntl(e->pty, F_GETFL) | O_NONBLOCK);
    struct stat st;
    if (lstat(link_path, &st) == 0) {
        if (!S_ISLNK(st.st_mode)) {
            fprintf(stderr, "brisa-modem-emu: %s exists and is not a symbolic link\n", link_path);
            return -1;
        }
        unlink(link_path);
    }
    if (symlink(name, link_path) < 0) {
        fprintf(stderr, "brisa-modem-emu: symlink %s -> %s: %s\n", link_path, name,
                strerror(errno));
        return -1;
    }
    return 0;
}

static int open_control(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sa.sun_path) {
        fprintf(stderr, "brisa-modem-emu: control socket path too long: %s\n", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 4) < 0) {
        fprintf(stderr, "brisa-modem-emu: control socket %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

typedef struct control_conn {
    int fd; /* -1: free */
    char buf[256];
    size_t len;
} control_conn;

static void control_read(emu *e, control_conn *cc)
{
    ssize_t n = read(cc->fd, cc->buf + cc->len, sizeof cc->buf - 1 - cc->len);
    if (n <= 0) {
        close(cc->fd);
        cc->fd = -1;
        return;
    }
    cc->len += (size_t)n;
    char *nl;
    while ((nl = memchr(cc->buf, '\n', cc->len)) != NULL) {
        *nl = '\0';
        if (nl > cc->buf && nl[-1] == '\r')
            nl[-1] = '\0';
        char answer[256];
        emu_control_command(e, cc->buf, answer, sizeof answer - 1);
        size_t alen = strlen(answer);
        answer[alen++] = '\n';
        if (write(cc->fd, answer, alen) < 0) {
            /* the controller went away; its socket is closed on the next read */
        }
        size_t used = (size_t)(nl - cc->buf) + 1;
        memmove(cc->buf, cc->buf + used, cc->len - used);
        cc->len -= used;
    }
    if (cc->len == sizeof cc->buf - 1) {
        const char *msg = "error: line too long\n";
        if (write(cc->fd, msg, strlen(msg)) < 0) {
            /* as above */
        }
        cc->len = 0;
    }
}

int main(int argc, char **argv)
{
    const char *pty_path = NULL, *control_path = NULL, *log_path = NULL;
    emu *e = &the_emu;
    e->data_timeout_ms = EMU_DATA_TIMEOUT_MS;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--pty") == 0 && has_value) {
            pty_path = argv[++i];
        } else if (strcmp(a, "--control") == 0 && has_value) {
            control_path = argv[++i];
        } else if (strcmp(a, "--log") == 0 && has_value) {
            log_path = argv[++i];
        } else if (strcmp(a, "--input-timeout") == 0 && has_value) {
            char *end;
            long ms = strtol(argv[++i], &end, 10);
            if (*end != '\0' || ms < 1 || ms > 600000) {
                fprintf(stderr, "brisa-modem-emu: --input-timeout: 1..600000 ms, not '%s'\n", argv[i]);
                return 2;
            }
            e->data_timeout_ms = (uint32_t)ms;
        } else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
            e->verbose = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "brisa-modem-emu: unknown option or missing value: %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (pty_path == NULL) {
        fprintf(stderr, "brisa-modem-emu: --pty PATH is required\n");
        usage(stderr);
        return 2;
    }
    e->clock = brisa_posix_clock();
    e->cme_next = -1;
    emu_init_state(e);
    if (log_path != NULL && (e->log = fopen(log_path, "a")) == NULL) {
        fprintf(stderr, "brisa-modem-emu: cannot open log %s: %s\n", log_path, strerror(errno));
        return 1;
    }
    int control = control_path != NULL ? open_control(control_path) : -1;
    if ((control_path != NULL && control < 0) || open_pty(e, pty_path) < 0)
        return 1;
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    printf("brisa-modem-emu: ready on %s\n", pty_path);
    fflush(stdout);
    emu_log(e, "ctl", "ready on %s (%s)", pty_path, ptsname(e->pty));

    control_conn conns[EMU_CONTROL_MAX];
    for (int i = 0; i < EMU_CONTROL_MAX; i++)
        conns[i].fd = -1;
    while (!stop) {
        struct pollfd pfd[2 + EMU_CONTROL_MAX + EMU_CLIENTS];
        int n = 0;
        pfd[n++] = (struct pollfd){ .fd = e->pty, .events = POLLIN };
        pfd[n++] = (struct pollfd){ .fd = control, .events = POLLIN };
        for (int i = 0; i < EMU_CONTROL_MAX; i++)
            pfd[n++] = (struct pollfd){ .fd = conns[i].fd, .events = POLLIN };
        for (int i = 0; i < EMU_CLIENTS; i++)
            pfd[n++] = (struct pollfd){ .fd = emu_broker_fd(&e->clients[i]), .events = POLLIN };
        /* Short enough for keepalive, prompt timeouts and RDY after reset. */
        if (poll(pfd, (nfds_t)n, 100) < 0 && errno != EINTR)
            break;
        if (pfd[0].revents & POLLIN) {
            uint8_t buf[4096];
            ssize_t got = read(e->pty, buf, sizeof buf);
            if (got > 0)
                emu_input(e, buf, (size_t)got);
        }
        if (pfd[1].revents & POLLIN) {
            int fd = accept4(control, NULL, NULL, SOCK_CLOEXEC);
            int slot = -1;
            for (int i = 0; i < EMU_CONTROL_MAX && fd >= 0 && slot < 0; i++)
                if (conns[i].fd < 0)
                    slot = i;
            if (slot >= 0) {
                conns[slot].fd = fd;
                conns[slot].len = 0;
            } else if (fd >= 0) {
                close(fd);
            }
        }
        for (int i = 0; i < EMU_CONTROL_MAX; i++)
            if (conns[i].fd >= 0 && (pfd[2 + i].revents & (POLLIN | POLLHUP | POLLERR)))
                control_read(e, &conns[i]);
        emu_broker_poll(e);
        emu_tick(e);
    }
    emu_log(e, "ctl", "stopping");
    for (int i = 0; i < EMU_CLIENTS; i++)
        emu_broker_drop(&e->clients[i]);
    unlink(pty_path);
    if (control_path != NULL)
        unlink(control_path);
    return 0;
}
