; Inno Setup script of ClientCare's Windows installer (Inno Setup 6, free:
; https://jrsoftware.org/isinfo.php). It packs the one-folder build that
; packaging/clientcare.spec makes in dist\clientcare (the programs clientcare.exe, the
; window without a console, and clientcare-cli.exe, the commands, with a console).
; README "Building the packages" lists the steps; from the repository's folder:
;     "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\clientcare.iss
; The result: dist\ClientCare-<version>-setup.exe.
;
; An update installs over the old version: the program's folder is replaced, the data
; (%LOCALAPPDATA%\ClientCare\ClientCare: the database, its backups, the log) is never
; touched by the installer, and the new version backs the database up before it
; updates its structure. Uninstalling leaves the data too.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; one id for every version, so a new one replaces the old one in "Apps"
AppId={{EBAC7A23-43F7-4213-9674-D7A61694BEFE}
AppName=ClientCare
AppVersion={#AppVersion}
AppVerName=ClientCare {#AppVersion}
AppPublisher=ClientCare
DefaultDirName={autopf}\ClientCare
DefaultGroupName=ClientCare
DisableProgramGroupPage=yes
; a user without administrator rights may install for themselves only
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\dist
OutputBaseFilename=ClientCare-{#AppVersion}-setup
SetupIconFile=icons\clientcare.ico
UninstallDisplayIcon={app}\clientcare.exe
UninstallDisplayName=ClientCare
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; an open ClientCare is asked to close before its files are replaced
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "pl"; MessagesFile: "compiler:Languages\Polish.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"
Name: "bg"; MessagesFile: "compiler:Languages\Bulgarian.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; the old version's libraries go first: a module the new version no longer has must not
; be imported from a leftover file (only the program's folder, never the data)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\clientcare\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\ClientCare"; Filename: "{app}\clientcare.exe"
Name: "{autodesktop}\ClientCare"; Filename: "{app}\clientcare.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\clientcare.exe"; Description: "{cm:LaunchProgram,ClientCare}"; Flags: nowait postinstall skipifsilent
