; Instalador de Windows (Inno Setup 6) de «Caracterización de usuarios».
;
; Se compila después de PyInstaller, que deja el programa en
; dist\Caracterizacion\ (vea packaging\build-windows.ps1 y el README):
;   ISCC.exe /DAppVersion=0.1.0 packaging\caracterizacion.iss
;
; Instala por usuario, sin permisos de administrador, en
; %LOCALAPPDATA%\Programs\Caracterización de usuarios. Los datos del usuario
; (ajustes, auditoría, historial, registro) viven aparte, en
; %LOCALAPPDATA%\caracterizacion-usuarios, y el desinstalador no los toca.
; Este archivo va en UTF-8 con BOM: así Inno Setup lee bien las tildes.

#define AppName "Caracterización de usuarios"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppExe "Caracterizacion.exe"
#define AppPublisher "Oficina de atención al usuario"

[Setup]
AppId={{1C8172C9-1435-4076-B5C3-1F5D478D5E6A}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoDescription=Instalador de {#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..
OutputDir=dist\instalador
OutputBaseFilename=Instalar-Caracterizacion-{#AppVersion}
SetupIconFile=resources\icons\caracterizacion.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "dist\Caracterizacion\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"
Name: "{group}\Guía de uso"; Filename: "{app}\_internal\resources\ayuda\guia.html"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program's own folder, if something was left in it. Never
; {localappdata}\caracterizacion-usuarios: that is the user's data.
Type: dirifempty; Name: "{app}"
