using System.Runtime.InteropServices;

namespace Emu.Linux.Native;

/// <summary>
/// The host system call of guest syscalls, as a few bytes of x86-64 machine code that, after the kernel
/// returns, waits while a fork is parking the guest threads (<see cref="ParkWord"/> holds the forking
/// thread's tid) before it returns to managed code. A guest thread that a fork found asleep in a blocking
/// call (read, poll, futex...) so stays in native code, where the runtime does not wait for it, even if
/// the call returns just before the fork: the child's runtime never waits for a thread that was running
/// managed code at the fork.
/// </summary>
internal static unsafe class ParkingSyscall
{
    private const int FutexWaitPrivate = 128;

    /// <summary>Nonzero while a fork parks the guest threads: the tid of the forking thread (not parked).</summary>
    public static readonly int* ParkWord = (int*)NativeMemory.AllocZeroed(sizeof(int));

    private static readonly nint Stub = Build();
    private static readonly delegate* unmanaged<long, long, long, long, long, long, long, long> Entry =
        (delegate* unmanaged<long, long, long, long, long, long, long, long>)Stub;
    private const int StubSize = 128;

    /// <summary>Host system call returning -errno on failure; parks on the way out while a fork parks guest threads.</summary>
    public static long Call(long number, long a0, long a1, long a2, long a3, long a4, long a5) =>
        Stub != 0 ? Entry(number, a0, a1, a2, a3, a4, a5) : LibC.SyscallRaw(number, a0, a1, a2, a3, a4, a5);

    /// <summary>True if <paramref name="pc"/> (a thread's user instruction pointer) is inside the stub.</summary>
    public static bool Contains(ulong pc) => Stub != 0 && pc >= (ulong)Stub && pc < (ulong)Stub + StubSize;

    private static nint Build()
    {
        var code = new NativeStubBuilder();
        // long stub(nr=rdi, a0=rsi, a1=rdx, a2=rcx, a3=r8, a4=r9, a5=[rsp+8]) -> kernel: rax, rdi, rsi, rdx, r10, r8, r9
        code.Bytes(0x48, 0x89, 0xF8);             // mov rax, rdi
        code.Bytes(0x48, 0x89, 0xF7);             // mov rdi, rsi
        code.Bytes(0x48, 0x89, 0xD6);             // mov rsi, rdx
        code.Bytes(0x48, 0x89, 0xCA);             // mov rdx, rcx
        code.Bytes(0x4D, 0x89, 0xC2);             // mov r10, r8
        code.Bytes(0x4D, 0x89, 0xC8);             // mov r8, r9
        code.Bytes(0x4C, 0x8B, 0x4C, 0x24, 0x08); // mov r9, [rsp+8]
        code.Bytes(0x0F, 0x05);                   // syscall
        int check = code.Count;
        code.Bytes(0x49, 0xBB); code.Imm64((ulong)ParkWord); // mov r11, park (syscall clobbers r11)
        code.Bytes(0x41, 0x8B, 0x13);             // mov edx, [r11]
        code.Bytes(0x85, 0xD2);                   // test edx, edx
        int jzDone = code.Count;
        code.Bytes(0x74, 0x00);                   // jz done
        code.Bytes(0x50);                         // push rax                 ; the result
        code.Bytes(0x52);                         // push rdx                 ; the park word
        code.Bytes(0xB8, 0xBA, 0x00, 0x00, 0x00); // mov eax, 186 (gettid)
        code.Bytes(0x0F, 0x05);                   // syscall
        code.Bytes(0x5A);                         // pop rdx
        code.Bytes(0x39, 0xD0);                   // cmp eax, edx             ; the forking thread itself?
        int jeRestore = code.Count;
        code.Bytes(0x74, 0x00);                   // je restore
        code.Bytes(0x49, 0xBB); code.Imm64((ulong)ParkWord); // mov r11, park
        code.Bytes(0x4C, 0x89, 0xDF);             // mov rdi, r11
        code.Bytes(0xBE, FutexWaitPrivate, 0x00, 0x00, 0x00); // mov esi, FUTEX_WAIT_PRIVATE (expected value: edx)
        code.Bytes(0x45, 0x31, 0xD2);             // xor r10d, r10d           ; no timeout
        code.Bytes(0xB8, 0xCA, 0x00, 0x00, 0x00); // mov eax, 202 (futex)
        code.Bytes(0x0F, 0x05);                   // syscall
        code.Bytes(0x58);                         // pop rax
        int jmpCheck = code.Count;
        code.Bytes(0xEB, 0x00);                   // jmp check
        int restore = code.Count;
        code.Bytes(0x58);                         // pop rax
        int done = code.Count;
        code.Bytes(0xC3);                         // ret
        code.PatchRel8(jzDone, done);
        code.PatchRel8(jeRestore, restore);
        code.PatchRel8(jmpCheck, check);
        if (code.Count > StubSize) return 0;

        return code.Install();
    }
}
