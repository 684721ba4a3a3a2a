using System.Runtime.InteropServices;
using System.Text;
using Emu.Cpu;
using Emu.Linux.Signals;
using Emu.Memory;

namespace Emu.Linux;

/// <summary>The six argument registers of a guest system call (X0..X5) and the calling thread.</summary>
public unsafe readonly struct SyscallArgs(CpuContext* ctx)
{
    public CpuContext* Ctx { get; } = ctx;
    public ulong A0 => Ctx->X[0];
    public ulong A1 => Ctx->X[1];
    public ulong A2 => Ctx->X[2];
    public ulong A3 => Ctx->X[3];
    public ulong A4 => Ctx->X[4];
    public ulong A5 => Ctx->X[5];
    public ulong this[int i] => Ctx->X[i];
}

/// <summary>A syscall handler: returns the result or -errno, which goes to X0.</summary>
public delegate long SyscallHandler(SyscallArgs args);

/// <summary>
/// One row of the syscall table. <see cref="ArgFormat"/> has one letter per argument for -strace:
/// d = signed int, u = unsigned, x = hex, p = pointer, s = path string, o = octal, f = open flags.
/// <see cref="File"/> is the source file that registered it (docs/syscalls.md lists it); a non-null
/// <see cref="RefusedBecause"/> marks a call answered with a fixed error on purpose, and says why.
/// </summary>
public sealed record SyscallEntry(string Name, string ArgFormat, SyscallHandler Handler, bool HexResult = false,
    string File = "", string? RefusedBecause = null);

public sealed unsafe partial class GuestProcess
{
    private readonly SyscallEntry?[] _syscalls;

    private void Register(int number, string argFormat, SyscallHandler handler, bool hexResult = false,
        [System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        AddEntry(number, new SyscallEntry(GuestSyscall.Name(number) ?? $"syscall_{number}", argFormat, handler, hexResult, Path.GetFileName(file)));

    /// <summary>A syscall answered with -<paramref name="errno"/> on purpose; <paramref name="reason"/> goes to docs/syscalls.md.</summary>
    private void RegisterRefused(int number, int errno, string reason, [System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        AddEntry(number, new SyscallEntry(GuestSyscall.Name(number) ?? $"syscall_{number}", "xxxxxx", _ => -errno, false, Path.GetFileName(file), reason));

    // Two handlers for one number would leave the first dead without anyone noticing.
    private void AddEntry(int number, SyscallEntry entry) =>
        _syscalls[number] = _syscalls[number] == null ? entry
            : throw new InvalidOperationException($"syscall {number} ({entry.Name}) registered twice: {_syscalls[number]!.File} and {entry.File}");

    /// <summary>The handler row for a guest syscall number (null: unimplemented, -ENOSYS).</summary>
    public SyscallEntry? LookupSyscall(ulong number) => number < (ulong)_syscalls.Length ? _syscalls[number] : null;

    private int? DoSyscall(CpuContext* ctx)
    {
        ulong number = ctx->X[8];
        var args = new SyscallArgs(ctx);
        var strace = Options.Strace;
        var entry = LookupSyscall(number);
        if (strace != null)
        {
            string call = FormatCall(number, entry, args);
            lock (strace) { strace.Write(call); strace.Flush(); }
        }

        if (number is GuestSyscall.Exit or GuestSyscall.ExitGroup)
        {
            // exit ends the calling thread (the dispatcher's Run returns), exit_group every thread. The
            // status byte is what wait() reports.
            if (strace != null) lock (strace) { strace.WriteLine(); strace.Flush(); }
            int status = (int)(args.A0 & 0xff);
            if ((number == GuestSyscall.ExitGroup && LiveThreads > 1) || IsForkedChild)
            {
                // _exit skips the runtime's exit handlers, where EMU_STATS would print.
                // (The console writes through, AutoFlush: nothing of it to flush before _exit.)
                if (Jit.Stats.Enabled) Jit.Stats.Print(Console.Error);
                Native.LibC.Exit(status);
            }
            if (number == GuestSyscall.Exit && !IsCloneThread && LiveThreads > 1) WaitForOtherThreads();
            return status;
        }

        ParkIfForking();
        var thread = CurrentThread;
        thread.Context = ctx;
        thread.InSyscall = 1;
        long result;
        if (entry == null) result = -Errno.ENOSYS;
        else
        {
            try
            {
                // FdTable (the translator's fds out of the guest's way) may carry out or refuse the call.
                result = FdBefore(number, args)
                    ?? (number == GuestSyscall.Read && IsSignalfd(args.A0)
                        ? SignalfdRead((int)args.A0, args.A1, args.A2)
                        : FdAfter(number, args, entry.Handler(args)));
            }
            catch (GuestFaultException) { result = -Errno.EFAULT; }
            // A guest page that changed under a check (or a path that missed one): still EFAULT, not a crash.
            catch (NullReferenceException) when (HostFaultHandler.TryTakeFault(out _, out _)) { result = -Errno.EFAULT; }
        }
        // Writing to a pipe nobody reads raises SIGPIPE as well as failing with EPIPE.
        if (result == -Errno.EPIPE && number is GuestSyscall.Write or GuestSyscall.Writev or GuestSyscall.Pwrite64
            or GuestSyscall.Pwritev or GuestSyscall.Sendfile or GuestSyscall.Splice or GuestSyscall.Sendto or GuestSyscall.Sendmsg)
            RaiseThreadSignal(SignalNumbers.SIGPIPE);
        if (_signalfdCount != 0 && result >= 0)
        {
            if (number == GuestSyscall.Close) ForgetSignalfd((long)args.A0);
            else if (number == GuestSyscall.Dup3) ForgetSignalfd((long)args.A1);
            else if (number == GuestSyscall.CloseRange) ForgetSignalfdRange(args.A0, args.A1);
        }
        ulong firstArgument = args.A0;
        ctx->X[0] = (ulong)result;
        if (result == -Errno.EINTR) PrepareRestart(ctx, number, firstArgument);
        if (strace != null)
        {
            // Guest threads share the writer, which is not thread-safe by itself.
            string line = FormatResult(result, entry?.HexResult ?? false);
            lock (strace) { strace.WriteLine(line); strace.Flush(); }
        }
        thread.InSyscall = 0;
        ctx->SignalAttention = 0;
        ParkIfForking();
        EnterPendingHandler(ctx);
        RestoreSuspendMask();
        return null;
    }

    private string FormatCall(ulong number, SyscallEntry? entry, SyscallArgs args)
    {
        var sb = new StringBuilder();
        sb.Append(Host(Native.HostSyscall.Getpid)).Append(' '); // Environment.ProcessId is stale after fork
        string? name = entry?.Name ?? (number < int.MaxValue ? GuestSyscall.Name((int)number) : null);
        if (name == null) return sb.Append($"Unknown syscall {number}").ToString();
        sb.Append(name).Append('(');
        string format = entry?.ArgFormat ?? "xxx";
        for (int i = 0; i < format.Length && i < 6; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(FormatArg(format[i], args[i]));
        }
        return sb.Append(')').ToString();
    }

    private string FormatArg(char kind, ulong value)
    {
        switch (kind)
        {
            case 'd':
                return (int)value == -100 ? "AT_FDCWD" : ((int)value).ToString();
            case 'u':
                return value.ToString();
            case 'o':
                return "0" + Convert.ToString((long)value, 8);
            case 'p':
                return value == 0 ? "NULL" : $"0x{value:x}";
            case 's':
                {
                    if (value == 0) return "NULL";
                    string? s = Memory.ReadCString(value);
                    return s == null ? $"0x{value:x}" : "\"" + s + "\"";
                }
            case 'f':
                return "0x" + ((uint)value).ToString("x");
            default:
                return $"0x{value:x}";
        }
    }

    private static string FormatResult(long result, bool hex)
    {
        if (result < 0 && result >= -4095)
        {
            int errno = (int)-result;
            return $" = -1 errno={errno} ({Marshal.GetPInvokeErrorMessage(errno)})";
        }
        return hex ? $" = 0x{(ulong)result:x}" : $" = {result}";
    }
}
