#include "workstation.h"

#include <QImage>
#include <QQmlEngine>
#include <QQuickWindow>

#include "model/error.h"
#include "store/case_repository.h"
#include "store/reviewer_repository.h"

namespace consilium::app {

namespace {
Workstation* g_instance = nullptr;
}

Workstation::Workstation(store::Database database, QObject* parent) : QObject(parent), database_(std::move(database))
{
    g_instance = this;
}

Workstation::~Workstation()
{
    if (g_instance == this)
        g_instance = nullptr;
}

Workstation* Workstation::instance() { return g_instance; }

Workstation* Workstation::create(QQmlEngine*, QJSEngine*)
{
    QQmlEngine::setObjectOwnership(g_instance, QQmlEngine::CppOwnership);
    return g_instance;
}

QString Workstation::databasePath() const { return QString::fromStdString(database_.file().string()); }
QString Workstation::userName() const { return QString::fromStdString(actor_.name); }
QString Workstation::userRole() const
{
    return actor_.role ? QString::fromUtf8(model::toString(*actor_.role).data()) : QString();
}
QString Workstation::userRoleText() const
{
    return actor_.role ? QString::fromUtf8(model::displayName(*actor_.role).data()) : QString();
}

QVariantList Workstation::knownReviewers()
{
    QVariantList out;
    for (const auto& r : store::ReviewerRepository(database_).all())
        out.append(QVariantMap{{"name", QString::fromStdString(r.name)},
                               {"role", QString::fromUtf8(model::toString(r.role).data())},
                               {"roleText", QString::fromUtf8(model::displayName(r.role).data())}});
    return out;
}

int Workstation::turnaroundBusinessDays() { return store::CaseRepository(database_).turnaroundBusinessDays(); }

QString Workstation::signIn(const QString& name, const QString& role)
{
    try {
        const auto reviewer = store::ReviewerRepository(database_).ensure(name.trimmed().toStdString(),
                                                                          model::roleFrom(role.toStdString()));
        actor_ = {reviewer.name, reviewer.role};
        signedIn_ = true;
        emit userChanged();
        return {};
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
}

bool Workstation::saveScreenshot(QObject* window, const QString& file)
{
    auto* quickWindow = qobject_cast<QQuickWindow*>(window);
    if (!quickWindow)
        return false;
    return quickWindow->grabWindow().save(file);
}

}  // namespace consilium::app
