/* The launcher's payload (see launcher.c), in an allocated section so it is part of a PT_LOAD segment:
   the launcher reads it from its own memory and needs no path to its own file. */
        .section .emu_payload, "a", @progbits
        .balign 4096
        .globl emu_payload_start
emu_payload_start:
        .incbin PAYLOAD_FILE
        .globl emu_payload_end
emu_payload_end:
        .section .note.GNU-stack, "", @progbits
