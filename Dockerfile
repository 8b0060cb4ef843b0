# syntax=docker/dockerfile:1
# TeamsRolloutBot container: build with the .NET 10 SDK, run on the ASP.NET Core 10 runtime as the
# non-root "app" user (UID 1654, defined by the Microsoft images). Build from the repository root:
#   docker build -t teamsrolloutbot .
#   docker run -p 3978:3978 -v rollout-data:/data --env-file bot.env teamsrolloutbot

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the package layer is cached across code changes.
COPY .editorconfig Directory.Build.props Directory.Packages.props ./
COPY src/TeamsRolloutBot/TeamsRolloutBot.csproj src/TeamsRolloutBot/
RUN dotnet restore src/TeamsRolloutBot/TeamsRolloutBot.csproj
COPY src/ src/
RUN dotnet publish src/TeamsRolloutBot/TeamsRolloutBot.csproj -c Release -o /out --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /out ./
# The sample plan is the default Rollout:PlanPath (samples/intune-rollout.yaml); mount your own plan
# and point Rollout__PlanPath at it to replace it.
COPY samples/ samples/
# /data holds the SQLite database; owned by the app user so the non-root process can write it.
RUN mkdir -p /data && chown "$APP_UID:$APP_UID" /data
# ASPNETCORE_URLS wins over an appsettings "Urls" entry; HTTP_PORTS (8080 in the base image) is cleared.
ENV ASPNETCORE_URLS=http://+:3978 \
    ASPNETCORE_ENVIRONMENT=Production \
    Storage__Provider=Sqlite \
    Storage__SqlitePath=/data/rollout.db \
    DOTNET_NOLOGO=1 \
    DOTNET_GCgen0size=0x1000000 \
    ASPNETCORE_HTTP_PORTS=
VOLUME /data
EXPOSE 3978
USER $APP_UID
ENTRYPOINT ["dotnet", "TeamsRolloutBot.dll"]
