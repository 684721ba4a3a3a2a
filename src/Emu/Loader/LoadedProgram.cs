namespace Emu.Loader;

/// <summary>What the ELF loader produced: where to start and the initial stack pointer.</summary>
public sealed record LoadedProgram(
    ulong EntryPoint,
    ulong InitialSp,
    ulong BrkStart,
    ulong LoadBias,
    ulong InterpreterBase,
    string? InterpreterPath)
{
    /// <summary>AT_ENTRY: the main program's entry (EntryPoint is the interpreter's when there is one).</summary>
    public ulong ProgramEntry { get; init; }
    /// <summary>AT_PHDR: guest address of the main program's program headers.</summary>
    public ulong ProgramHeaders { get; init; }
    /// <summary>Lowest address and end of the main program's mapped segments (after bss).</summary>
    public ulong ImageStart { get; init; }
    public ulong ImageEnd { get; init; }
    /// <summary>The stack mapping [StackBottom, StackTop).</summary>
    public ulong StackBottom { get; init; }
    public ulong StackTop { get; init; }
    /// <summary>PT_GNU_STACK asked for an executable stack.</summary>
    public bool ExecutableStack { get; init; }
    /// <summary>Guest address of the auxiliary vector on the stack and its entries (for /proc/self/auxv).</summary>
    public ulong AuxvAddress { get; init; }
    public IReadOnlyList<AuxvEntry> Auxv { get; init; } = NoAuxv;

    // Not `[]` (Array.Empty<T>), and not KeyValuePair<ulong, ulong>: generic code over the runtime's value
    // types is not in our ReadyToRun image and would be JIT-compiled at every start.
    private static readonly AuxvEntry[] NoAuxv = new AuxvEntry[0];
}

/// <summary>One auxiliary vector entry: AT_* type and value.</summary>
public readonly record struct AuxvEntry(ulong Key, ulong Value);

/// <summary>
/// The file is not a loadable AArch64 ELF; the message names the problem in one line.
/// <see cref="ExitStatus"/> is what the command line exits with: 126, or 127 when a file is missing.
/// </summary>
public sealed class ElfLoadException(string message, int exitStatus = 126) : Exception(message)
{
    public int ExitStatus { get; } = exitStatus;
}
