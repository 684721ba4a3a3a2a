using System.Text;
using Emu.Linux.Abi;
using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// New processes. fork (and vfork, which may always be a fork) fork the whole translator: guest memory is
// private copy-on-write host memory, so the child has its own copy. execve of an AArch64 program starts
// a new translator on it; a script runs its interpreter the same way; anything else is the host's to run.
public sealed unsafe partial class GuestProcess
{
    private const int MaxArgs = 1 << 17, ScriptDepth = 4;

    /// <summary>True in a child made by fork: it must leave with _exit, the runtime's other threads are gone.</summary>
    public bool IsForkedChild { get; private set; }

    private void RegisterExecSyscalls()
    {
        Register(G.Execve, "spp", SysExecve);
    }

    /// <summary>
    /// Whether forking the translator is safe: with the runtime's W^X double mapping the JIT's code pages
    /// are shared memory (a memfd named "doublemapper"), so a child that compiles anything would corrupt
    /// its parent's code. emu-aarch64 turns W^X off in its runtimeconfig; this checks that it took effect.
    /// </summary>
    public static bool ForkSupported => s_forkSupported.Value;

    private static readonly Lazy<bool> s_forkSupported = new(() =>
    {
        try
        {
            return !File.ReadAllText("/proc/self/maps").Contains("doublemapper", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    });

    /// <summary>clone without CLONE_VM, or with CLONE_VFORK: a new process.</summary>
    private long Fork(SyscallArgs a)
    {
        ulong flags = a.A0, stack = a.A1, parentTid = a.A2, childTid = a.A4;
        if (!ForkSupported) return -ENOSYS;
        if ((flags & CloneThread) != 0) return -EINVAL;
        if ((flags & CloneParentSettid) != 0) CheckedPointer(parentTid, 4, GuestProt.Write);
        if ((flags & (CloneChildSettid | CloneChildCleartid)) != 0) CheckedPointer(childTid, 4, GuestProt.Write);
        // Nothing else to flush: Console.Out and Console.Error write through (AutoFlush), and touching them
        // here would set up the console in every forking process (a JIT compile of CoreLib's vectorized compare).
        Options.Strace?.Flush();
        ResetHostSigchld();
        RerouteSigchld();
        long pid;
        // No other guest thread, no Tier 1 worker and not the finalizer thread may be running managed code
        // when the runtime is copied (see ForkSafePoint.cs and Tier1Compiler).
        ulong hostMask = BlockRuntimeSignalsForFork();
        using (HoldFinalizerThreadForFork())
        using (LockMappings())
        using (ParkGuestThreadsForFork())
        {
            WaitForFinishedThreads();
            using (Emu.Jit.Tier1Compiler.ParkWorkersForFork()) pid = Native.LibC.SyscallRaw(H.Fork); // not Host: the child's tid is not the park word's
        }
        if (pid != 0) RestoreHostMask(hostMask);
        if (pid < 0) return pid;
        if (pid == 0)
        {
            IsForkedChild = true;
            Signals.HostSignals.SetTargetThread();
            ForkedSignalState();
            ResetRuntimeSignalsInForkChild();
            RestoreHostMask(hostMask);
            _liveThreads = 1;
            // The parent's other threads were not copied: fork would wait for them to end (Join) in vain.
            lock (_finishingThreads) _finishingThreads.Clear();
            int tid = (int)Host(H.Gettid);
            if ((flags & CloneChildSettid) != 0) WriteGuest(childTid, tid);
            t_clearChildTid = (flags & CloneChildCleartid) != 0 ? childTid : 0;
            // vfork-style callers (posix_spawn) give the child its own stack.
            if (stack != 0) a.Ctx->X[Emu.Cpu.CpuContext.SpIndex] = stack;
            return 0;
        }
        if ((flags & CloneParentSettid) != 0) WriteGuest(parentTid, (int)pid);
        return pid;
    }

    /// <summary>
    /// The runtime's own SIGCHLD handler fails when a child it did not start ends, so the host gets the
    /// default disposition (nothing happens, the child stays waitable) before the first child exists.
    /// </summary>
    private static void ResetHostSigchld()
    {
        long* action = stackalloc long[4]; // x86_64 kernel sigaction: SIG_DFL, no flags, no restorer, empty mask
        action[0] = action[1] = action[2] = action[3] = 0;
        Host(H.RtSigaction, SignalNumbers.SIGCHLD, (long)action, 0, 8);
    }

    // ResetHostSigchld replaced our routing of SIGCHLD if the guest handles it: put it back.
    private void RerouteSigchld()
    {
        Signals.HostSignals.MarkUnrouted(SignalNumbers.SIGCHLD);
        if (HostRoutingWanted(SignalNumbers.SIGCHLD))
        {
            Signals.HostSignals.Unroute(SignalNumbers.SIGCHLD);
            Signals.HostSignals.Route(SignalNumbers.SIGCHLD);
        }
    }

    private long SysExecve(SyscallArgs a)
    {
        var rawPath = ReadGuestCString(a.A0);
        if (rawPath == null) return -ENAMETOOLONG;
        return Execve(Encoding.UTF8.GetString(rawPath, 0, rawPath.Length - 1), a.A1, a.A2);
    }

    /// <summary>execve of a guest path with the guest's argv and envp arrays (execveat shares it).</summary>
    private long Execve(string path, ulong guestArgv, ulong guestEnvp)
    {
        var argv = ReadStringArray(guestArgv);
        var envp = ReadStringArray(guestEnvp);
        if (argv == null || envp == null) return -E2BIG;
        if (path.Length == 0) return -ENOENT;

        // #! scripts: the interpreter gets [interpreter, optional argument, script path, argv[1..]].
        string file = path;
        var args = new List<string>(argv);
        if (args.Count == 0) args.Add(path);
        for (int depth = 0; ; depth++)
        {
            string hostFile = Paths.Resolve(file);
            var head = ReadHead(hostFile, out int error);
            if (head == null) return -error;
            if (head.Length >= 2 && head[0] == '#' && head[1] == '!')
            {
                if (depth == ScriptDepth) return -ELOOP;
                string line = Encoding.UTF8.GetString(head, 2, head.Length - 2).Split('\n')[0].Trim();
                if (line.Length == 0) return -ENOEXEC;
                int space = line.IndexOfAny([' ', '\t']);
                string interpreter = space < 0 ? line : line[..space];
                string? optional = space < 0 ? null : line[(space + 1)..].Trim();
                var next = new List<string> { interpreter };
                if (!string.IsNullOrEmpty(optional)) next.Add(optional);
                next.Add(file);
                for (int i = 1; i < args.Count; i++) next.Add(args[i]);
                args = next;
                file = interpreter;
                continue;
            }
            if (IsAarch64Elf(head)) return ExecTranslator(hostFile, args, envp);
            return HostExecve(hostFile, args, envp);
        }
    }

    private static bool IsAarch64Elf(byte[] head) =>
        head.Length >= 20 && head[0] == 0x7f && head[1] == (byte)'E' && head[2] == (byte)'L' && head[3] == (byte)'F'
        && head[5] == 1 && (head[18] | head[19] << 8) == 183; // little-endian, EM_AARCH64

    /// <summary>The first bytes of a file execve is about to run, or null with the errno execve would give.</summary>
    private static byte[]? ReadHead(string hostFile, out int error)
    {
        error = 0;
        var p = NulTerminated(hostFile);
        long fd;
        fixed (byte* b = p) fd = Host(H.Openat, -100, (long)b, OpenFlags.Cloexec, 0);
        if (fd < 0)
        {
            error = (int)-fd;
            return null;
        }
        var buf = new byte[256];
        long n;
        fixed (byte* b = buf) n = Host(H.Read, fd, (long)b, buf.Length);
        Host(H.Close, fd);
        if (n < 0)
        {
            error = (int)-n;
            return null;
        }
        // Execute permission is the kernel's call, as it would be for the real program.
        fixed (byte* b = p)
        {
            long ok = Host(H.Faccessat, -100, (long)b, 1 /* X_OK */);
            if (ok < 0)
            {
                error = (int)-ok;
                return null;
            }
        }
        return buf.AsSpan(0, (int)n).ToArray();
    }

    /// <summary>Replaces this process with a new translator running <paramref name="program"/>.</summary>
    private long ExecTranslator(string program, List<string> argv, List<string> envp)
    {
        var command = new List<string>();
        // Started in-process by the native launcher (src/Launcher/host_launcher.c), ProcessPath is the launcher:
        // it keeps the fd arrangement handed on (HostExecve) and starts the runtime in its own process again.
        string self = Environment.ProcessPath ?? "/proc/self/exe";
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            command.Add(self);
            // Not Assembly.Location: it is empty in a single-file build (that branch is not taken there anyway).
            command.Add(Path.Combine(AppContext.BaseDirectory, (System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "emu-aarch64") + ".dll"));
        }
        else
        {
            command.Add(self);
        }
        command.Add("-0");
        command.Add(argv.Count > 0 ? argv[0] : program);
        if (Options.SysRoot != null)
        {
            command.Add("-L");
            command.Add(Options.SysRoot);
        }
        if (Options.Strace != null) command.Add("-strace");
        command.Add(program);
        for (int i = 1; i < argv.Count; i++) command.Add(argv[i]);
        return HostExecve(command[0], command, envp, translator: true);
    }

    // What runs between a guest fork and its execve runs in every child anew, after the parent's last use of
    // the runtime's code: generic code over value types (LINQ over GCHandle, a Dictionary of a struct) that
    // ReadyToRun did not precompile is JIT-compiled there each time (~16 methods, ~5 ms per exec). So this
    // path keeps to arrays, loops and reference-type collections.
    private long HostExecve(string file, List<string> argv, List<string> envp, bool translator = false)
    {
        // The translator's fds stay out of the new program; a new translator inherits the fd arrangement.
        string? fdEnvironment = FdTable.PrepareExec(translator);
        var environment = new List<string>(envp.Count + 2);
        foreach (var e in envp)
        {
            if (fdEnvironment != null && e.StartsWith(FdTable.EnvironmentVariable + "=", StringComparison.Ordinal)) continue;
            if (e.StartsWith(IgnoredSignalsVariable + "=", StringComparison.Ordinal)) continue;
            environment.Add(e);
        }
        if (translator)
        {
            if (fdEnvironment != null) environment.Add(fdEnvironment);
            environment.Add(IgnoredSignalsEnvironment());
        }
        Options.Strace?.Flush(); // (the console writes through: see Fork)
        // One pinned block per string: the path, then argv, then the environment.
        var strings = new byte[1 + argv.Count + environment.Count][];
        strings[0] = NulTerminated(file);
        for (int i = 0; i < argv.Count; i++) strings[1 + i] = GuestStrings.Encode(argv[i], nulTerminate: true);
        for (int i = 0; i < environment.Count; i++) strings[1 + argv.Count + i] = GuestStrings.Encode(environment[i], nulTerminate: true);
        var handles = new System.Runtime.InteropServices.GCHandle[strings.Length];
        long* pointers = (long*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(argv.Count + 1 + environment.Count + 1) * 8);
        try
        {
            for (int i = 0; i < strings.Length; i++)
                handles[i] = System.Runtime.InteropServices.GCHandle.Alloc(strings[i], System.Runtime.InteropServices.GCHandleType.Pinned);
            // argv (NULL-terminated) then envp (NULL-terminated) in one native block.
            long* argvP = pointers, envP = pointers + argv.Count + 1;
            for (int i = 0; i < argv.Count; i++) argvP[i] = handles[1 + i].AddrOfPinnedObject();
            argvP[argv.Count] = 0;
            for (int i = 0; i < environment.Count; i++) envP[i] = handles[1 + argv.Count + i].AddrOfPinnedObject();
            envP[environment.Count] = 0;
            // Linux keeps the blocked mask and the ignored signals across execve: the host's carry them.
            var hostDispositions = ExportDispositionsForExec();
            ulong hostMask = ExportMaskForExec();
            long r = Host(H.Execve, handles[0].AddrOfPinnedObject(), (long)argvP, (long)envP);
            RestoreHostMask(hostMask);
            RestoreHostDispositions(hostDispositions);
            FdTable.ExecFailed();
            return r;
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(pointers);
            foreach (var h in handles)
                if (h.IsAllocated) h.Free();
        }
    }

    /// <summary>A NULL-terminated guest array of strings (argv, envp); NULL is empty; null if absurdly long.</summary>
    private List<string>? ReadStringArray(ulong guest)
    {
        var result = new List<string>();
        if (guest == 0) return result;
        for (int i = 0; i < MaxArgs; i++)
        {
            ulong p = ReadGuestUInt64(guest + (ulong)i * 8);
            if (p == 0) return result;
            var s = ReadGuestCString(p, 128 * 1024) ?? throw new GuestFaultException(p);
            result.Add(GuestStrings.Decode(s.AsSpan(0, s.Length - 1)));
        }
        return null;
    }
}
