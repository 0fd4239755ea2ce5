# SPDX-License-Identifier: MIT
# Cross toolchain for the Cortex-M boards (Debian's gcc-arm-none-eabi and
# libnewlib-arm-none-eabi). Picked by -DBRISA_BOARD=...; usable alone with
# -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-arm-none-eabi.cmake.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_AR arm-none-eabi-ar)
set(CMAKE_RANLIB arm-none-eabi-ranlib)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "size")
# No OS to link a test program against: compiler checks build a library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Cortex-M7 (the seed's STM32H7; QEMU's mps2-an500). Soft float: QEMU's
# model and newlib's nofp multilib agree, and nothing here needs an FPU.
set(BRISA_CPU_FLAGS "-mcpu=cortex-m7 -mthumb -mfloat-abi=soft")
set(CMAKE_C_FLAGS_INIT "${BRISA_CPU_FLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${BRISA_CPU_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${BRISA_CPU_FLAGS} -Wl,--gc-sections")
set(CMAKE_C_FLAGS_MINSIZEREL_INIT "-Os -DNDEBUG")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
