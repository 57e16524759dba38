# Construye el programa y el instalador de Windows.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1
#
# Desde la carpeta del proyecto, con Python 3.11 (64 bits, py.exe) e Inno
# Setup 6 instalados. Deja:
#   dist\Caracterizacion\Caracterizacion.exe           el programa (una carpeta)
#   dist\instalador\Instalar-Caracterizacion-X.Y.Z.exe el instalador
# Este archivo va en UTF-8 con BOM: así PowerShell 5 lee bien las tildes.

$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

function Fail($message) {
    Write-Host "ERROR: $message" -ForegroundColor Red
    exit 1
}

# 1. La versión, del paquete (core\__init__.py).
$init = Get-Content -Raw -Encoding UTF8 "core\__init__.py"
if ($init -notmatch '__version__ = "([^"]+)"') { Fail "no se encontró la versión" }
$version = $Matches[1]
Write-Host "Versión $version"

# 2. Un entorno limpio: solo lo que el programa usa, más PyInstaller.
$venv = ".venv-bundle"
if (-not (Test-Path "$venv\Scripts\python.exe")) {
    py -3.11 -m venv $venv
    if ($LASTEXITCODE -ne 0) { Fail "no se pudo crear $venv (¿está instalado Python 3.11?)" }
}
$python = "$venv\Scripts\python.exe"
& $python -m pip install -q --upgrade pip
& $python -m pip install -q -c packaging\constraints-bundle.txt -r packaging\requirements-bundle.txt
if ($LASTEXITCODE -ne 0) { Fail "no se pudieron instalar las dependencias" }

# 3. El programa, en una carpeta, sin ventana de consola.
& $python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\caracterizacion.spec
if ($LASTEXITCODE -ne 0) { Fail "PyInstaller no terminó bien" }
$exe = "dist\Caracterizacion\Caracterizacion.exe"

# 4. La autoprueba: carga el mes de ejemplo y escribe el informe PDF.
$test = Start-Process -FilePath $exe -ArgumentList "--autoprueba" -Wait -PassThru
if ($test.ExitCode -ne 0) {
    Fail "la autoprueba falló (código $($test.ExitCode)); vea el registro en $env:LOCALAPPDATA\caracterizacion-usuarios\Logs"
}
Write-Host "Autoprueba correcta."

# 5. El instalador (Inno Setup 6).
$iscc = @(
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
) | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $iscc) { Fail "no se encontró ISCC.exe: instale Inno Setup 6" }
& $iscc "/DAppVersion=$version" packaging\caracterizacion.iss
if ($LASTEXITCODE -ne 0) { Fail "Inno Setup no terminó bien" }
Write-Host "Listo: dist\instalador\Instalar-Caracterizacion-$version.exe" -ForegroundColor Green
