using System.Runtime.InteropServices;
using System.Text;
using Emu.Cpu;
using Emu.Jit;
using Emu.Linux;
using Emu.Loader;
using Emu.Memory;

namespace Emu.Cli;

public static partial class Program
{
    private const string Name = "emu-aarch64";

    /// <summary>Exit statuses, as a shell reports them for execve failures.</summary>
    private const int ExitBadOption = 1, ExitCannotExecute = 126, ExitNotFound = 127, ExitInternalError = 70;

    public static int Main(string[] args)
    {
        // Before anything opens a file: the guest's fd numbers must be free of the runtime's (may re-exec).
        // Only as the process's own entry point: tests call Main inside their test host.
        if (System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly) FdTable.ReexecIfNeeded();
        // A failure on another thread (the Tier 1 compiler) gets the same one-line report.
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
        try
        {
            return Run(args);
        }
        catch (Exception e)
        {
            ReportInternalError(e);
            return ExitInternalError;
        }
        finally
        {
            AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
        }
    }

    private static void OnUnhandledException(object sender, UnhandledExceptionEventArgs e)
    {
        ReportInternalError(e.ExceptionObject as Exception ?? new InvalidOperationException(e.ExceptionObject?.ToString()));
        Environment.Exit(ExitInternalError);
    }

    private static void ReportInternalError(Exception e)
    {
        // Nothing but one line reaches the user unless they ask for the whole story; the innermost
        // message says what went wrong (a type initializer's wrapper does not).
        if (Environment.GetEnvironmentVariable("EMU_DEBUG") is { Length: > 0 } d && d != "0")
            Console.Error.WriteLine($"{Name}: internal error: {e}");
        else
            Console.Error.WriteLine($"{Name}: internal error: {OneLine(e.GetBaseException().Message)}");
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");

    private static int Fail(int status, string message)
    {
        Console.Error.WriteLine($"{Name}: {OneLine(message)}");
        return status;
    }

    private static unsafe int Run(string[] args)
    {
        var hostEnv = HostEnvironment();
        CliOptions o;
        try
        {
            o = CommandLineParser.Parse(PreservedArgv0(args), ToDictionary(hostEnv));
        }
        catch (CommandLineException e)
        {
            return Fail(ExitBadOption, e.Message);
        }
        switch (o.Action)
        {
            case CliAction.Help: Console.Out.Write(CommandLineParser.Usage()); return 0;
            case CliAction.Version: Console.Out.WriteLine(CommandLineParser.VersionText); return 0;
            case CliAction.ListCpus: Console.Out.Write(CommandLineParser.CpuHelp()); return 0;
            case CliAction.ListLogItems: Console.Out.Write(CommandLineParser.LogItemsHelp()); return 0;
            case CliAction.BinfmtInstall:
                // Started through the static launcher, this process runs from its extraction directory: the
                // launcher is what to register.
                string interpreter = Path.GetFullPath(o.BinfmtPath ?? Environment.GetEnvironmentVariable(LauncherVariable) ?? Environment.ProcessPath ?? Name);
                if (o.BinfmtFlags.Contains('F') && BinfmtRegistration.IsFrameworkDependent(interpreter))
                    Console.Error.WriteLine($"{Name}: warning: {interpreter} needs an installed .NET, which chroots and containers lack; " +
                        "with flag F register the static launcher (scripts/build --binfmt-static, artifacts/binfmt-static/emu-aarch64)");
                else if (o.BinfmtFlags.Contains('F') && BinfmtRegistration.NeedsProgramInterpreter(interpreter))
                    Console.Error.WriteLine($"{Name}: note: {interpreter} is dynamically linked: a chroot or container needs the host's ld.so and libraries; " +
                        "the static launcher (scripts/build --binfmt-static) needs none");
                return BinfmtRegistration.Install(o.BinfmtName, interpreter, o.BinfmtFlags, Console.Out);
            case CliAction.BinfmtUninstall: return BinfmtRegistration.Uninstall(o.BinfmtName, Console.Out);
            case CliAction.BinfmtStatus: return BinfmtRegistration.Status(o.BinfmtName, Console.Out);
        }
        string program = o.Program!;
        // binfmt_misc O or C: the kernel opened the program for us; it may be executable but not readable.
        int execFd = BinfmtExecFd();
        if (execFd <= 0 && CheckExecutable(program) is { } problem) return Fail(problem.Status, $"{program}: {problem.Message}");

        TextWriter? log = null;
        try
        {
            if (o.LogFile != null)
            {
                string file = o.LogFile.Replace("%d", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                try
                {
                    // Flushed per write: the guest may end the process with _exit, which skips our finally blocks.
                    log = new StreamWriter(file, append: false, new UTF8Encoding(false)) { AutoFlush = true };
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return Fail(ExitBadOption, $"{file}: cannot open the log file: {e.Message}");
                }
            }
            return RunGuest(o, program, hostEnv, log);
        }
        finally
        {
            s_disassembler?.Dispose();
            log?.Flush();
            log?.Dispose();
        }
    }

    private static unsafe int RunGuest(CliOptions o, string program, List<string> hostEnv, TextWriter? logFile)
    {
        // Console.Error only when something is logged: setting up the console costs ~5 ms and two JIT compiles.
        bool logging = o.Log != LogItems.None || o.Strace;
        TextWriter? logOut = logging ? logFile ?? Console.Error : null;

        var argv = new List<string>(o.ProgramArgs.Count + 1) { o.Argv0 ?? program };
        argv.AddRange(o.ProgramArgs);
        var envp = o.GuestEnvironment(hostEnv);

        var cpu = CpuModels.Find(o.Cpu)!;
        var loaderOptions = new LoaderOptions
        {
            SysRoot = o.SysRoot,
            StackSize = o.StackSize,
            RandomSeed = o.Seed,
            HwCap = cpu.HwCap,
            HwCap2 = cpu.HwCap2,
            ExecFn = program,
            // Set by the kernel for setuid/setgid programs (binfmt_misc C): the guest's libc must know too.
            Secure = GetAuxVal(AT_SECURE) != 0,
        };
        int execFd = BinfmtExecFd();
        if (execFd > 0) loaderOptions.ProgramFile = new Microsoft.Win32.SafeHandles.SafeFileHandle(execFd, ownsHandle: true);
        var translatorOptions = new TranslatorOptions
        {
            Optimize = !o.NoOpt,
            Log = o.Log != LogItems.None ? logOut! : null,
            LogInAsm = (o.Log & LogItems.InAsm) != 0,
            LogOp = (o.Log & LogItems.Op) != 0,
            LogOpOpt = (o.Log & LogItems.OpOpt) != 0,
            LogExec = (o.Log & LogItems.Exec) != 0,
            LogUnimp = (o.Log & LogItems.Unimp) != 0,
        };
        if (translatorOptions.LogInAsm) translatorOptions.InAsmFormatter = CreateInAsmFormatter();
        if ((o.Log & LogItems.OutAsm) != 0) translatorOptions.OutAsmFormatter = HostDisassembler.Format;
        if (o.OneInsnPerTb) translatorOptions.MaxBlockInstructions = 1;
        translatorOptions.DisabledGroups = cpu.DisabledGroups(EncodingGroups);
        if (o.Tier1Threshold is { } threshold) translatorOptions.Tier1Threshold = threshold;
        var processOptions = new ProcessOptions
        {
            SysRoot = o.SysRoot,
            ExecutablePath = RealPath(program),
            ProgramPath = program,
            Strace = o.Strace || (o.Log & LogItems.Strace) != 0 ? logOut! : null,
        };

        using var mem = new GuestMemory();
        using var gdb = o.GdbPort is { } port ? StartGdbStub(mem, port) : null;
        if (gdb != null)
        {
            // Breakpoints, steps and gdb's interrupt are checked before each block: one instruction per block
            // makes them exact, and no multi-block regions, which loop inside generated code.
            translatorOptions.MaxBlockInstructions = 1;
            translatorOptions.MaxRegionBlocks = 0;
            translatorOptions.BeforeBlock = gdb.BeforeBlock;
        }
        LoadedProgram image;
        try
        {
            image = ElfLoader.Load(mem, program, argv, envp, loaderOptions);
        }
        catch (ElfLoadException e)
        {
            return Fail(e.ExitStatus, $"{program}: {e.Message}");
        }
        if ((o.Log & LogItems.Page) != 0 && logOut != null)
        {
            WriteMemoryMap(logOut, mem, image);
            // qemu prints the map again when the guest changes it (mmap, munmap, mprotect, brk).
            mem.MappingChanged += (start, end) =>
            {
                lock (logOut)
                {
                    logOut.WriteLine($"page: mapping changed at 0x{start:x16}-0x{end:x16}");
                    WriteMemoryMap(logOut, mem, image);
                }
            };
        }

        var process = new GuestProcess(mem, processOptions);
        process.InitBrk(image.BrkStart);
        var ctx = CpuContext.Allocate();
        try
        {
            ctx->X[CpuContext.SpIndex] = image.InitialSp;
            ctx->Pc = image.EntryPoint;
            ctx->MemBase = (ulong)mem.Base;
            ctx->MemMask = mem.Mask;
            var dispatcher = new Dispatcher(mem, process, translatorOptions);
            process.ThreadRunner = dispatcher.Run;
            gdb?.WaitForConnection(ctx);
            int status = dispatcher.Run(ctx);
            gdb?.ReportExit(status, process.TerminatingSignal);
            if (process.TerminatingSignal is { } signo)
            {
                // Die of the guest's fatal signal so our parent sees WTERMSIG, as with a native program.
                logFile?.Flush();
                Emu.Linux.Signals.FatalSignal.Die(signo);
            }
            return status;
        }
        finally
        {
            CpuContext.Free(ctx);
        }
    }

    private static IEnumerable<string> EncodingGroups() => Emu.Frontend.Decoder.A64Encodings.All.Select(e => e.Group);

    private static Emu.Debugging.GdbStub StartGdbStub(GuestMemory mem, int port)
    {
        var stub = new Emu.Debugging.GdbStub(mem, port);
        Console.Error.WriteLine($"{Name}: waiting for gdb on 127.0.0.1:{stub.Port}");
        return stub;
    }

    private static GuestDisassembler? s_disassembler;

    /// <summary>Capstone for -d in_asm, created only when asked for; raw words if its native library is missing.</summary>
    private static Func<ulong, uint, string>? CreateInAsmFormatter()
    {
        try
        {
            s_disassembler = new GuestDisassembler();
            return s_disassembler.Format;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            Console.Error.WriteLine($"{Name}: warning: no disassembler (Capstone unavailable); -d in_asm shows raw words");
            return null;
        }
    }

    // binfmt_misc's 'P' flag: the kernel passes the program's full path, then its original argv[0], then its
    // arguments, and says so with AT_FLAGS_PRESERVE_ARGV0 in our own auxiliary vector (as qemu reads it).
    private const ulong AT_FLAGS = 8, AT_FLAGS_PRESERVE_ARGV0 = 1, AT_EXECFD = 2, AT_SECURE = 23;

    [LibraryImport("libc", EntryPoint = "getauxval")]
    private static partial ulong GetAuxVal(ulong type);

    // Set by the static launcher (src/Launcher): what the kernel's AT_EXECFD said before the launcher's
    // execve dropped our auxiliary vector, and the launcher's own path. Neither reaches the guest.
    private const string ExecFdVariable = "EMU_BINFMT_EXECFD", LauncherVariable = "EMU_LAUNCHER";

    /// <summary>The program fd the kernel opened for binfmt_misc O or C, or 0.</summary>
    private static int BinfmtExecFd()
    {
        int fd = (int)GetAuxVal(AT_EXECFD);
        if (fd > 0) return fd;
        return int.TryParse(Environment.GetEnvironmentVariable(ExecFdVariable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out fd) ? fd : 0;
    }

    private static bool IsLauncherVariable(string entry) =>
        entry.StartsWith(FdTable.EnvironmentVariable + "=", StringComparison.Ordinal) ||
        entry.StartsWith(ExecFdVariable + "=", StringComparison.Ordinal) ||
        entry.StartsWith(LauncherVariable + "=", StringComparison.Ordinal) ||
        entry.StartsWith(GuestProcess.IgnoredSignalsVariable + "=", StringComparison.Ordinal) ||
        entry.StartsWith(GuestProcess.SigpipeIgnoredVariable + "=", StringComparison.Ordinal);

    /// <summary>Turns "path argv0 args..." from binfmt_misc with 'P' into "-0 argv0 path args...".</summary>
    private static string[] PreservedArgv0(string[] args)
    {
        if ((GetAuxVal(AT_FLAGS) & AT_FLAGS_PRESERVE_ARGV0) == 0 || args.Length < 2) return args;
        return ["-0", args[1], "--", args[0], .. args[2..]];
    }

    /// <summary>-d page: the guest memory map after loading, in the spirit of qemu's.</summary>
    private static unsafe void WriteMemoryMap(TextWriter w, GuestMemory mem, LoadedProgram image)
    {
        w.WriteLine($"guest_base  0x{(ulong)mem.Base:x}");
        w.WriteLine("start            end              size             prot name");
        foreach (var r in mem.Regions)
        {
            string prot = string.Concat((r.Prot & GuestProt.Read) != 0 ? "r" : "-", (r.Prot & GuestProt.Write) != 0 ? "w" : "-", (r.Prot & GuestProt.Exec) != 0 ? "x" : "-");
            w.WriteLine($"{r.Start:x16}-{r.End:x16} {r.Length:x16} {prot}  {r.Name}");
        }
        w.WriteLine($"start_brk   0x{image.BrkStart:x16}");
        w.WriteLine($"entry       0x{image.EntryPoint:x16}");
        w.WriteLine($"load_bias   0x{image.LoadBias:x16}");
        if (image.InterpreterPath != null) w.WriteLine($"interp_base 0x{image.InterpreterBase:x16} ({image.InterpreterPath})");
        w.WriteLine($"start_stack 0x{image.InitialSp:x16}");
        w.Flush();
    }

    /// <summary>What execve would say about <paramref name="path"/> before reading it, or null if it may be run.</summary>
    private static (int Status, string Message)? CheckExecutable(string path)
    {
        if (Directory.Exists(path)) return (ExitCannotExecute, "Is a directory");
        if (!File.Exists(path)) return (ExitNotFound, "No such file or directory");
        if (Access(path, R_OK) != 0) return (ExitCannotExecute, "Permission denied (not readable)");
        if (Access(path, X_OK) != 0) return (ExitCannotExecute, "Permission denied (not executable)");
        return null;
    }

    private const int R_OK = 4, X_OK = 1;

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    /// <summary>The absolute path with symbolic links resolved, as /proc/self/exe shows it.</summary>
    // libc's realpath, as qemu does for /proc/self/exe: every symbolic link resolved in one call (File.ResolveLinkTarget
    // cost ~1.5 ms at every start in its string building and buffer pool).
    private static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        nint resolved = RealPathNative(full, 0);
        if (resolved == 0) return full;
        try
        {
            return Marshal.PtrToStringUTF8(resolved) ?? full;
        }
        finally
        {
            Free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPathNative(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);

    /// <summary>The host environment as "VAR=value" strings in their original order.</summary>
    private static List<string> HostEnvironment()
    {
        try
        {
            byte[] raw = ReadProcFile("/proc/self/environ");
            var list = new List<string>();
            int start = 0;
            for (int i = 0; i < raw.Length; i++)
            {
                if (raw[i] != 0) continue;
                if (i > start) list.Add(Emu.Linux.GuestStrings.Decode(raw.AsSpan(start, i - start)));
                if (list.Count > 0 && IsLauncherVariable(list[^1])) list.RemoveAt(list.Count - 1);
                start = i + 1;
            }
            return list;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var list = new List<string>();
            foreach (System.Collections.DictionaryEntry kv in Environment.GetEnvironmentVariables())
                list.Add($"{kv.Key}={kv.Value}");
            list.RemoveAll(IsLauncherVariable);
            return list;
        }
    }

    /// <summary>
    /// A /proc file's bytes through libc: File.ReadAllBytes of a file of unknown length rents from ArrayPool
    /// (JIT-compiled per-thread buckets) and starts the runtime's file machinery, ~4 ms at every start-up.
    /// </summary>
    private static unsafe byte[] ReadProcFile(string path)
    {
        int fd = Open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw new IOException($"{path}: cannot open (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            var buffer = new byte[16384];
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = new byte[buffer.Length * 2];
                    Buffer.BlockCopy(buffer, 0, bigger, 0, length);
                    buffer = bigger;
                }
                nint n;
                fixed (byte* p = buffer) n = Read(fd, p + length, buffer.Length - length);
                if (n < 0 && Marshal.GetLastPInvokeError() == EINTR) continue;
                if (n < 0) throw new IOException($"{path}: cannot read (errno {Marshal.GetLastPInvokeError()})");
                if (n == 0) break;
                length += (int)n;
            }
            var result = new byte[length];
            Buffer.BlockCopy(buffer, 0, result, 0, length);
            return result;
        }
        finally
        {
            Close(fd);
        }
    }

    private const int O_RDONLY = 0, O_CLOEXEC = 0x80000, EINTR = 4;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    private static Dictionary<string, string> ToDictionary(List<string> env)
    {
        var d = new Dictionary<string, string>(env.Count, StringComparer.Ordinal);
        foreach (var e in env)
        {
            int eq = e.IndexOf('=');
            if (eq > 0) d[e[..eq]] = e[(eq + 1)..];
        }
        return d;
    }
}
