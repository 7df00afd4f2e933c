/* The forwarding combase.dll for Windows 7 (see combase.def): its entry point, which has
 * nothing to set up. Built by scripts/build-windows --win7 with MinGW, no C runtime. */
int __stdcall DllMainCRTStartup(void *module, unsigned long reason, void *reserved)
{
    (void)module;
    (void)reason;
    (void)reserved;
    return 1;
}
