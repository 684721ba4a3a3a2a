// Libc-free program: raw write + exit_group syscalls, some arithmetic and a
// loop, so a loader/dispatcher can be tested without glibc start-up code.
    .text
    .global _start
_start:
    // write(1, msg, len)
    mov     x0, #1
    adr     x1, msg
    mov     x2, #msg_len
    mov     x8, #64
    svc     #0
    cmp     x0, #msg_len
    b.ne    fail

    // sum 1..100 in a loop; expect 5050
    mov     x3, #0
    mov     x4, #100
1:  add     x3, x3, x4
    subs    x4, x4, #1
    b.ne    1b
    mov     x5, #5050
    cmp     x3, x5
    b.ne    fail

    // call a leaf function through bl/ret
    mov     x0, #20
    bl      triple_plus_one
    cmp     x0, #61
    b.ne    fail

    mov     x0, #1
    adr     x1, ok
    mov     x2, #ok_len
    mov     x8, #64
    svc     #0

    // exit_group(7) so the exit status is checked too
    mov     x0, #7
    mov     x8, #94
    svc     #0

fail:
    mov     x0, #1
    mov     x8, #94
    svc     #0

triple_plus_one:
    add     x0, x0, x0, lsl #1
    add     x0, x0, #1
    ret

    .section .rodata
msg:    .ascii "asm_basic: write syscall works\n"
    .set msg_len, . - msg
ok:     .ascii "asm_basic: loop and call ok\n"
    .set ok_len, . - ok
