/*
 * artifacts/bin/emu-aarch64 (scripts/build): starts the .NET translator beside it with the guest's fd numbers
 * already reserved (launcher_common.h). Without it the translator reserves them itself by re-executing once,
 * which starts the .NET runtime twice. Also what binfmt_misc runs when artifacts/bin/emu-aarch64 is
 * registered: its auxiliary vector goes on as arguments and variables.
 *
 * The runtime is started in this process (libcoreclr.so loaded from RUNTIME_DIR: "." for the runtime published
 * beside us (scripts/build's self-contained publish), else the shared framework directory scripts/build found),
 * not through the apphost emu-aarch64-host: the apphost's hostfxr and hostpolicy resolve the framework and read
 * three JSON files at every start (~3 ms and 0.6 MB). When that directory has no usable runtime (an updated .NET,
 * DOTNET_ROOT elsewhere, EMU_HOST=apphost), the launcher execs the apphost as before.
 */
#include "launcher_common.h"
#include <dlfcn.h>
#include <sys/stat.h>

#define HOST_SUFFIX "-host"

#ifndef RUNTIME_DIR
#define RUNTIME_DIR ""
#endif

/* libcoreclr.so's hosting interface (coreclrhost.h). */
typedef int (*coreclr_initialize_fn)(const char *exe_path, const char *app_domain_friendly_name, int property_count,
                                     const char **property_keys, const char **property_values, void **host_handle,
                                     unsigned int *domain_id);
typedef int (*coreclr_execute_assembly_fn)(void *host_handle, unsigned int domain_id, int argc, const char **argv,
                                           const char *managed_assembly_path, unsigned int *exit_code);
typedef int (*coreclr_shutdown_2_fn)(void *host_handle, unsigned int domain_id, int *latched_exit_code);

enum { MAX_PROPERTIES = 64 };

struct properties {
    int count;
    const char *keys[MAX_PROPERTIES];
    const char *values[MAX_PROPERTIES];
};

static void add_property(struct properties *p, const char *key, const char *value)
{
    if (p->count < MAX_PROPERTIES) {
        p->keys[p->count] = key;
        p->values[p->count] = value;
        p->count++;
    }
}

/* A growing string for the assembly list. */
struct text {
    char *s;
    size_t len, cap;
};

static int append(struct text *t, const char *a, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16384;
        while (cap < t->len + n + 1) cap *= 2;
        char *s = realloc(t->s, cap);
        if (s == NULL) return -1;
        t->s = s;
        t->cap = cap;
    }
    memcpy(t->s + t->len, a, n);
    t->len += n;
    t->s[t->len] = 0;
    return 0;
}

/* Appends "dir/NAME.dll:" for each .dll in dir (the trusted platform assemblies); -1 when dir cannot be read. */
static int add_assemblies(struct text *tpa, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) return -1;
    struct dirent *de;
    size_t dir_len = strlen(dir);
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n <= 4 || strcmp(de->d_name + n - 4, ".dll") != 0) continue;
        if (append(tpa, dir, dir_len) || append(tpa, "/", 1) || append(tpa, de->d_name, n) || append(tpa, ":", 1)) {
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    return 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "re");
    if (f == NULL) return NULL;
    struct text t = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (append(&t, buf, n)) break;
    fclose(f);
    return t.s;
}

/* The JSON string at *p (after its opening quote), unescaped in place; *p moves past the closing quote. */
static char *json_string(char **p)
{
    char *start = *p, *out = *p, *in = *p;
    while (*in && *in != '"') {
        if (*in == '\\' && in[1]) in++;
        *out++ = *in++;
    }
    if (*in != '"') return NULL;
    *p = in + 1;
    *out = 0;
    return start;
}

/*
 * The "configProperties" of the runtimeconfig.json (what hostpolicy passes the runtime: GC, tiering, W^X,
 * invariant globalization): flat keys with string, number or boolean values. -1 when it cannot be read.
 */
static int add_config_properties(struct properties *p, const char *runtimeconfig)
{
    char *json = read_file(runtimeconfig);
    if (json == NULL) return -1;
    char *at = strstr(json, "\"configProperties\"");
    if (at == NULL) return 0;
    at = strchr(at, '{');
    if (at == NULL) return -1;
    at++;
    for (;;) {
        while (*at == ' ' || *at == '\n' || *at == '\r' || *at == '\t' || *at == ',') at++;
        if (*at == '}') return 0;
        if (*at != '"') return -1;
        at++;
        char *key = json_string(&at);
        if (key == NULL) return -1;
        while (*at == ' ' || *at == ':' || *at == '\t') at++;
        char *value;
        if (*at == '"') {
            at++;
            value = json_string(&at);
            if (value == NULL) return -1;
        } else {
            /* true, false or a number, as the runtime reads the text. */
            value = at;
            while (*at && *at != ',' && *at != '}' && *at != ' ' && *at != '\n' && *at != '\r') at++;
            char end = *at;
            *at = 0;
            value = strdup(value);
            *at = end;
            if (value == NULL || *value == 0 || *value == '{' || *value == '[') return -1;
        }
        add_property(p, key, value);
    }
}

static int is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Whether the runtime in RUNTIME_DIR is the one the apphost would choose: unless told otherwise, and only
 * when DOTNET_ROOT (which the apphost follows) does not name another installation. A self-contained
 * apphost always takes the runtime beside it (app_dir).
 */
static const char *runtime_dir(const char *app_dir)
{
    const char *host = getenv("EMU_HOST");
    if (host != NULL && strcmp(host, "apphost") == 0) return NULL;
    const char *dir = getenv("EMU_RUNTIME_DIR");
    if (dir == NULL || *dir == 0) dir = RUNTIME_DIR;
    if (*dir == 0) return NULL;
    if (strcmp(dir, ".") == 0) return is_directory(app_dir) ? app_dir : NULL;
    const char *root = getenv("DOTNET_ROOT");
    if (root != NULL && *root != 0) {
        size_t n = strlen(root);
        while (n > 1 && root[n - 1] == '/') n--;
        if (strncmp(dir, root, n) != 0 || strncmp(dir + n, "/shared/", 8) != 0) return NULL;
    }
    return is_directory(dir) ? dir : NULL;
}

#define JIT_SLAB_CACHE_VARIABLE "DOTNET_JitHostMaxSlabCache"

/*
 * Runs the translator (app_dir/emu-aarch64.dll) on the runtime in framework_dir in this process. Returns
 * only when the runtime could not be loaded or started, before any managed code ran: the caller then execs
 * the apphost.
 */
static int run_in_process(const char *framework_dir, const char *app_dir, int argc, char **argv)
{
    char coreclr_path[PATH_MAX], assembly[PATH_MAX], runtimeconfig[PATH_MAX];
    if (snprintf(coreclr_path, sizeof coreclr_path, "%s/libcoreclr.so", framework_dir) >= (int)sizeof coreclr_path ||
        snprintf(assembly, sizeof assembly, "%s/" NAME ".dll", app_dir) >= (int)sizeof assembly ||
        snprintf(runtimeconfig, sizeof runtimeconfig, "%s/" NAME ".runtimeconfig.json", app_dir) >= (int)sizeof runtimeconfig)
        return -1;
    if (access(assembly, R_OK) != 0 || access(coreclr_path, R_OK) != 0) return -1;

    static struct properties props;
    props.count = 0;
    struct text tpa = {0};
    if (add_assemblies(&tpa, app_dir) || (strcmp(framework_dir, app_dir) != 0 && add_assemblies(&tpa, framework_dir)) || tpa.s == NULL)
        return -1;
    if (add_config_properties(&props, runtimeconfig) != 0) return -1;
    static char native_dirs[2 * PATH_MAX + 4], app_base[PATH_MAX + 2];
    snprintf(native_dirs, sizeof native_dirs, "%s:%s:", app_dir, framework_dir);
    snprintf(app_base, sizeof app_base, "%s/", app_dir);
    add_property(&props, "TRUSTED_PLATFORM_ASSEMBLIES", tpa.s);
    add_property(&props, "NATIVE_DLL_SEARCH_DIRECTORIES", native_dirs);
    add_property(&props, "APP_CONTEXT_BASE_DIRECTORY", app_base);
    add_property(&props, "RUNTIME_IDENTIFIER", "linux-x64");

    void *lib = dlopen(coreclr_path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) return -1;
    coreclr_initialize_fn initialize = (coreclr_initialize_fn)dlsym(lib, "coreclr_initialize");
    coreclr_execute_assembly_fn execute = (coreclr_execute_assembly_fn)dlsym(lib, "coreclr_execute_assembly");
    coreclr_shutdown_2_fn shutdown = (coreclr_shutdown_2_fn)dlsym(lib, "coreclr_shutdown_2");
    if (initialize == NULL || execute == NULL || shutdown == NULL) return -1;

    /* Peak RSS: the runtime keeps RyuJIT's freed arena slabs for reuse, up to 16 MB, and malloc never gets
       them back (Tier 1 compiles: 4-10 MB). A knob without a runtimeconfig name: read from the environment as
       the runtime starts, then removed (the runtime has its own copy) so the guest's environment is unchanged. */
    int slab_cache_set = getenv(JIT_SLAB_CACHE_VARIABLE) == NULL && setenv(JIT_SLAB_CACHE_VARIABLE, "0", 0) == 0;
    void *handle;
    unsigned int domain;
    int initialized = initialize(argv[0], NAME, props.count, props.keys, props.values, &handle, &domain);
    if (slab_cache_set) unsetenv(JIT_SLAB_CACHE_VARIABLE);
    if (initialized < 0) return -1;
    unsigned int exit_code = 0;
    int hr = execute(handle, domain, argc - 1, (const char **)argv + 1, assembly, &exit_code);
    if (hr < 0) {
        fprintf(stderr, NAME ": the .NET runtime could not run %s (error 0x%x)\n", assembly, (unsigned)hr);
        exit(EXIT_CANNOT_EXECUTE);
    }
    int latched = (int)exit_code;
    shutdown(handle, domain, &latched);
    exit(latched);
}

int main(int argc, char **argv)
{
    /* Beside our own file, whatever name or symbolic link started us. */
    char translator[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", translator, sizeof translator - sizeof HOST_SUFFIX);
    if (len <= 0) {
        /* No /proc: the .NET host could not find itself either, but it says so better. */
        if (argv[0] == NULL || strchr(argv[0], '/') == NULL) die("cannot find the translator: /proc/self/exe: %s", strerror(errno));
        len = (ssize_t)strlen(argv[0]);
        if ((size_t)len >= sizeof translator - sizeof HOST_SUFFIX) die("%s: path too long", argv[0]);
        memcpy(translator, argv[0], (size_t)len);
    }
    translator[len] = 0;
    char app_dir[PATH_MAX];
    memcpy(app_dir, translator, (size_t)len + 1);
    char *slash = strrchr(app_dir, '/');
    memcpy(translator + len, HOST_SUFFIX, sizeof HOST_SUFFIX);

    if (slash != NULL) *slash = 0;
    const char *framework_dir = slash != NULL ? runtime_dir(app_dir) : NULL;
    if (framework_dir != NULL && argc >= 1) {
        /* The variables the apphost would get, set here: the runtime reads the environment as it starts. The
           arguments go unchanged: the translator itself reads binfmt_misc's AT_FLAGS in this process. */
        int reserved;
        environ = translator_environment(&reserved);
        /* Without the fd arrangement the translator re-executes itself, which is the apphost's job. */
        const char *off = getenv("EMU_NO_FD_RESERVE");
        if (reserved || (off != NULL && off[0] != 0)) run_in_process(framework_dir, app_dir, argc, argv);
        /* Not started: the apphost with the environment already made. */
        execve(translator, translator_args(argc, argv), environ);
        die("cannot run %s: %s", translator, strerror(errno));
    }
    exec_translator(translator, translator_args(argc, argv));
}
