using System.Runtime.InteropServices;
using Emu.Linux.Native;

namespace Emu.Linux.Signals;

/// <summary>
/// Turns host SIGSEGVs on guest memory into guest faults. A small native pre-handler (x86-64 machine code,
/// installed in front of the .NET runtime's handler) checks whether the faulting address lies in the
/// guest reservation; if so it records the guest address and si_code, and rewrites si_addr to a null-area
/// address, so the runtime raises an ordinary NullReferenceException in the translated code instead of
/// failing fast on an access violation. The dispatcher catches that around guest code only and asks
/// <see cref="TryTakeFault"/> whether it was a guest fault. Any other SIGSEGV goes to the runtime untouched.
/// </summary>
public static unsafe partial class HostFaultHandler
{
    private const int SIGSEGV = 11, SIGBUS = 7;
    private const int SA_SIGINFO = 4;
    private const int SA_ONSTACK = 0x08000000;

    // Shared with the native stubs: [0] guest fault address, [1] si_code | si_signo << 32 (valid while [2] != 0).
    private static ulong* _slot;
    private static bool _installed;



    /// <summary>
    /// Installs the pre-handler for guest addresses [guestBase, guestBase + guestSize), the <paramref name="guard"/>
    /// bytes below and the <paramref name="guardAbove"/> bytes above (a fault there is a guest address below 0,
    /// wrapped, or above the space). Idempotent.
    /// </summary>
    public static void Install(ulong guestBase, ulong guestSize, ulong guard = 0, ulong guardAbove = 0)
    {
        if (_installed) return;
        _slot = (ulong*)NativeMemory.AllocZeroed(32);
        LibC.HostSigaction segv;
        if (LibC.Sigaction(SIGSEGV, null, &segv) != 0 || segv.Handler is 0 or 1 || (segv.Flags & SA_SIGINFO) == 0)
            return; // no runtime handler to chain to: leave the default behaviour
        _installed = InstallFor(SIGSEGV, segv.Handler, guestBase, guestSize, guard, guardAbove);
        // SIGBUS: a guest access to a file mapping beyond the end of the file. The runtime makes an
        // AccessViolationException of a SIGBUS, so a guest one is passed to its SIGSEGV handler instead,
        // dressed as a null-area SIGSEGV (the slot keeps the real signal and code).
        if (_installed) InstallFor(SIGBUS, segv.Handler, guestBase, guestSize, guard, guardAbove);
    }

    private static bool InstallFor(int signo, nint runtimeSegvHandler, ulong guestBase, ulong guestSize, ulong guard, ulong guardAbove)
    {
        LibC.HostSigaction old;
        if (LibC.Sigaction(signo, null, &old) != 0 || old.Handler is 0 or 1 || (old.Flags & SA_SIGINFO) == 0)
            return false;

        var code = new NativeStubBuilder();
        code.Bytes(0x48, 0x8B, 0x46, 0x10);                 // mov rax, [rsi+16]      ; si_addr
        code.Bytes(0x49, 0xBB); code.Imm64(guestBase - guard);   // mov r11, guestBase - guard
        code.Bytes(0x4C, 0x29, 0xD8);                       // sub rax, r11
        code.Bytes(0x49, 0xBB); code.Imm64(guard + guestSize + guardAbove); // mov r11, guard + guestSize + guardAbove
        code.Bytes(0x4C, 0x39, 0xD8);                       // cmp rax, r11
        code.Bytes(0x73, 0x4D);                             // jae chain
        code.Bytes(0x49, 0xBB); code.Imm64(guard);               // mov r11, guard
        code.Bytes(0x4C, 0x29, 0xD8);                       // sub rax, r11          ; guest address (wraps below 0)
        code.Bytes(0x49, 0xBB); code.Imm64((ulong)_slot);        // mov r11, slot
        code.Bytes(0x49, 0x89, 0x03);                       // mov [r11], rax         ; guest address
        code.Bytes(0x8B, 0x46, 0x08);                       // mov eax, [rsi+8]       ; si_code
        code.Bytes(0x41, 0x89, 0x43, 0x08);                 // mov [r11+8], eax
        code.Bytes(0x8B, 0x06);                             // mov eax, [rsi]         ; si_signo
        code.Bytes(0x41, 0x89, 0x43, 0x0C);                 // mov [r11+12], eax
        code.Bytes(0x49, 0xFF, 0x43, 0x10);                 // inc qword [r11+16]     ; fault pending
        code.Bytes(0x48, 0xC7, 0x46, 0x10, 0x08, 0, 0, 0);  // mov qword [rsi+16], 8  ; looks like a null reference
        code.Bytes(0xC7, 0x06, 0x0B, 0, 0, 0);              // mov dword [rsi], 11    ; si_signo = SIGSEGV
        code.Bytes(0xC7, 0x46, 0x08, 0x01, 0, 0, 0);        // mov dword [rsi+8], 1   ; si_code = SEGV_MAPERR
        code.Bytes(0x49, 0xBB); code.Imm64((ulong)runtimeSegvHandler); // mov r11, runtime SIGSEGV handler
        code.Bytes(0x41, 0xFF, 0xE3);                       // jmp r11
        // chain: not a guest address, the runtime's own handler for this signal
        code.Bytes(0x49, 0xBB); code.Imm64((ulong)old.Handler);  // mov r11, runtime handler
        code.Bytes(0x41, 0xFF, 0xE3);                       // jmp r11

        nint page = code.Install();
        if (page == 0) return false;

        var act = old;
        act.Handler = page;
        act.Flags = old.Flags | SA_SIGINFO | SA_ONSTACK;
        return LibC.Sigaction(signo, &act, null) == 0;
    }

    /// <summary>
    /// After a NullReferenceException from guest code: true if it was a guest memory fault, with the guest
    /// address and the host si_code (SEGV_MAPERR = 1, SEGV_ACCERR = 2); for a host SIGBUS the code is
    /// <see cref="BusFlag"/> | the SIGBUS si_code (BUS_ADRERR = 2).
    /// </summary>
    public const int BusFlag = 0x100;

    public static bool TryTakeFault(out ulong guestAddress, out int siCode)
    {
        guestAddress = 0;
        siCode = 0;
        if (_slot == null || _slot[2] == 0) return false;
        guestAddress = _slot[0];
        siCode = (int)(uint)_slot[1];
        if ((int)(_slot[1] >> 32) == SIGBUS) siCode |= BusFlag;
        _slot[2] = 0;
        return true;
    }
}
