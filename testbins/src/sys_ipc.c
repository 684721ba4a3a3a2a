/* SysV semaphores, shared memory and message queues, and POSIX message queues:
 * each object is private to the test (IPC_PRIVATE, a name made from the pid)
 * and removed at the end. shmat must map the segment into the guest's address
 * space: two attachments and a fork child see the same bytes. Prints only
 * deterministic facts. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static void check(const char *label, int ok)
{
    printf("%-52s %s\n", label, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

union semun { int val; struct semid_ds *buf; unsigned short *array; };

static void test_sem(void)
{
    int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    check("semget 3 semaphores", id >= 0);
    if (id < 0) return;
    struct semid_ds ds;
    memset(&ds, 0xa5, sizeof ds);
    union semun arg = { .buf = &ds };
    check("semctl IPC_STAT", semctl(id, 0, IPC_STAT, arg) == 0);
    check("sem_nsems == 3 (aarch64 semid_ds layout)", ds.sem_nsems == 3);
    check("sem_perm.mode == 0600", (ds.sem_perm.mode & 0777) == 0600);
    check("sem_otime == 0 before any semop", ds.sem_otime == 0);
    unsigned short values[3] = { 4, 5, 6 };
    arg.array = values;
    check("semctl SETALL", semctl(id, 0, SETALL, arg) == 0);
    arg.val = 9;
    check("semctl SETVAL sem 1 = 9", semctl(id, 1, SETVAL, arg) == 0);
    unsigned short got[3] = { 0, 0, 0 };
    arg.array = got;
    check("semctl GETALL == {4,9,6}", semctl(id, 0, GETALL, arg) == 0 && got[0] == 4 && got[1] == 9 && got[2] == 6);
    struct sembuf ops[2] = { { 0, -3, 0 }, { 2, 2, 0 } };
    check("semop two operations", semop(id, ops, 2) == 0);
    check("GETVAL sem 0 == 1", semctl(id, 0, GETVAL) == 1);
    check("GETVAL sem 2 == 8", semctl(id, 2, GETVAL) == 8);
    struct sembuf wouldblock = { 0, -2, IPC_NOWAIT };
    check("semop IPC_NOWAIT would block: EAGAIN", semop(id, &wouldblock, 1) == -1 && errno == EAGAIN);
    struct timespec ts = { 0, 1000000 };
    struct sembuf wait1 = { 0, -2, 0 };
    check("semtimedop times out: EAGAIN", semtimedop(id, &wait1, 1, &ts) == -1 && errno == EAGAIN);
    arg.buf = &ds;
    check("IPC_STAT after semop: sem_otime set", semctl(id, 0, IPC_STAT, arg) == 0 && ds.sem_otime != 0 && ds.sem_nsems == 3);
    ds.sem_perm.mode = 0640;
    check("semctl IPC_SET mode 0640", semctl(id, 0, IPC_SET, arg) == 0);
    memset(&ds, 0, sizeof ds);
    check("IPC_STAT shows mode 0640", semctl(id, 0, IPC_STAT, arg) == 0 && (ds.sem_perm.mode & 0777) == 0640);
    check("semop bad pointer: EFAULT", semop(id, (struct sembuf *)1, 1) == -1 && errno == EFAULT);
    check("IPC_STAT bad pointer: EFAULT", semctl(id, 0, IPC_STAT, (struct semid_ds *)1) == -1 && errno == EFAULT);
    check("semctl IPC_RMID", semctl(id, 0, IPC_RMID) == 0);
    check("semop on removed set: EINVAL or EIDRM", semop(id, ops, 1) == -1 && (errno == EINVAL || errno == EIDRM));
}

static void test_shm(void)
{
    size_t size = 3 * 4096 + 100;
    int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
    check("shmget 3 pages + 100 bytes", id >= 0);
    if (id < 0) return;
    char *a = shmat(id, NULL, 0);
    check("shmat anywhere", a != (char *)-1);
    char *b = shmat(id, NULL, SHM_RDONLY);
    check("second shmat read-only", b != (char *)-1 && b != a);
    if (a == (char *)-1 || b == (char *)-1) return;
    strcpy(a + 4096 * 3, "shared bytes");
    check("second attachment sees the write", strcmp(b + 4096 * 3, "shared bytes") == 0);
    struct shmid_ds ds;
    check("shmctl IPC_STAT", shmctl(id, IPC_STAT, &ds) == 0);
    check("shm_segsz == size", ds.shm_segsz == size);
    check("shm_nattch == 2", ds.shm_nattch == 2);
    pid_t child = fork();
    if (child == 0)
    {
        a[0] = 'C';
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    check("fork child writes into the segment", WIFEXITED(status) && a[0] == 'C' && b[0] == 'C');
    check("shmdt second", shmdt(b) == 0);
    check("shmdt twice: EINVAL", shmdt(b) == -1 && errno == EINVAL);
    check("shm_nattch == 1 after shmdt", shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 1);

    /* A fixed, SHM_RND-rounded address inside a range we reserved. */
    char *area = shmat(id, NULL, 0);
    check("third shmat", area != (char *)-1);
    check("shmdt third", shmdt(area) == 0);
    char *fixed = shmat(id, area + 100, SHM_RND);
    check("shmat SHM_RND rounds to the attach address", fixed == area);
    check("fixed attachment shares the bytes", fixed != (char *)-1 && strcmp(fixed + 4096 * 3, "shared bytes") == 0);
    if (fixed != (char *)-1) shmdt(fixed);
    check("shmat unaligned without SHM_RND: EINVAL", shmat(id, a + 1, 0) == (void *)-1 && errno == EINVAL);
    check("shmctl IPC_RMID", shmctl(id, IPC_RMID, NULL) == 0);
    check("attachment survives IPC_RMID", a[0] == 'C');
    check("shmdt first", shmdt(a) == 0);
    check("shmctl bad pointer: EFAULT", shmctl(0, IPC_STAT, (struct shmid_ds *)1) == -1 && (errno == EFAULT || errno == EINVAL));
}

static void test_msg(void)
{
    int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    check("msgget", id >= 0);
    if (id < 0) return;
    struct { long type; char text[32]; } m1 = { 7, "seven" }, m2 = { 3, "three" }, r;
    check("msgsnd type 7", msgsnd(id, &m1, 6, 0) == 0);
    check("msgsnd type 3", msgsnd(id, &m2, 6, 0) == 0);
    struct msqid_ds ds;
    check("msgctl IPC_STAT: 2 messages", msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 2 && ds.msg_cbytes == 12);
    check("msgrcv type 3 first", msgrcv(id, &r, sizeof r.text, 3, 0) == 6 && r.type == 3 && strcmp(r.text, "three") == 0);
    check("msgrcv any", msgrcv(id, &r, sizeof r.text, 0, 0) == 6 && r.type == 7 && strcmp(r.text, "seven") == 0);
    check("msgrcv empty IPC_NOWAIT: ENOMSG", msgrcv(id, &r, sizeof r.text, 0, IPC_NOWAIT) == -1 && errno == ENOMSG);
    check("msgsnd bad pointer: EFAULT", msgsnd(id, (void *)1, 6, 0) == -1 && errno == EFAULT);
    check("msgctl IPC_RMID", msgctl(id, IPC_RMID, NULL) == 0);
}

static void test_mq(void)
{
    char name[64];
    snprintf(name, sizeof name, "/emu-sys-ipc-%d", (int)getpid());
    struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 32 };
    mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR | O_NONBLOCK, 0600, &attr);
    check("mq_open O_CREAT|O_EXCL|O_NONBLOCK", q != (mqd_t)-1);
    if (q == (mqd_t)-1) return;
    struct mq_attr got;
    check("mq_getattr: maxmsg 4, msgsize 32, nonblocking", mq_getattr(q, &got) == 0 && got.mq_maxmsg == 4
        && got.mq_msgsize == 32 && (got.mq_flags & O_NONBLOCK) && got.mq_curmsgs == 0);
    check("mq_send prio 1", mq_send(q, "low", 4, 1) == 0);
    check("mq_send prio 9", mq_send(q, "high", 5, 9) == 0);
    char buf[32];
    unsigned prio = 0;
    check("mq_receive: highest priority first", mq_receive(q, buf, sizeof buf, &prio) == 5 && prio == 9 && strcmp(buf, "high") == 0);
    check("mq_receive: then the other", mq_receive(q, buf, sizeof buf, &prio) == 4 && prio == 1);
    check("mq_receive empty: EAGAIN", mq_receive(q, buf, sizeof buf, &prio) == -1 && errno == EAGAIN);
    struct mq_attr blocking = { .mq_flags = 0 }, old;
    check("mq_setattr clears O_NONBLOCK", mq_setattr(q, &blocking, &old) == 0 && (old.mq_flags & O_NONBLOCK));
    struct timespec past = { 1, 0 };
    check("mq_timedreceive with a past deadline: ETIMEDOUT", mq_timedreceive(q, buf, sizeof buf, &prio, &past) == -1 && errno == ETIMEDOUT);
    check("mq_open O_EXCL again: EEXIST", mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr) == (mqd_t)-1 && errno == EEXIST);
    check("mq_close", mq_close(q) == 0);
    check("mq_unlink", mq_unlink(name) == 0);
    check("mq_unlink again: ENOENT", mq_unlink(name) == -1 && errno == ENOENT);
}

int main(void)
{
    test_sem();
    test_shm();
    test_msg();
    test_mq();
    printf("failures: %d\n", failures);
    return failures != 0;
}
