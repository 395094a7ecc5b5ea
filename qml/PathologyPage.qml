pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Consilium

// The pathologist's re-review: the case's slides on the left, one or two slide panes (serial sections side by side,
// optionally navigating together), and the active slide's overview, label, macro and properties on the right.
Page {
    id: page
    property alias reference: session.caseReference
    property bool sideBySide: false
    property bool linked: false
    property int activePane: 0
    // Every shown slide is open and drawn sharp (or failed): what scripted screenshots wait for.
    readonly property bool settled: paneA.settled && (!page.sideBySide || paneB.settled)
    readonly property SlidePane active: activePane === 0 || !sideBySide ? paneA : paneB
    signal backRequested()

    background: Rectangle { color: "#1c2126" }

    SlideSession { id: session }

    function show(slideId: int) {
        page.active.slideId = slideId
    }

    Connections {
        target: session
        function onSlidesChanged() {
            const slides = session.slides
            if (paneA.slideId === 0 && slides.length > 0)
                paneA.slideId = slides[0].id
            if (paneB.slideId === 0 && slides.length > 0)
                paneB.slideId = slides[Math.min(1, slides.length - 1)].id
        }
    }
    Component.onCompleted: session.slidesChanged()

    header: ToolBar {
        Material.background: "#232a31"
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 8
            anchors.rightMargin: 8
            spacing: 6
            ToolButton {
                text: qsTr("‹ Case")
                onClicked: page.StackView.view ? page.StackView.view.pop() : page.backRequested()
            }
            Label {
                text: qsTr("Pathology re-review")
                color: "white"
                font.weight: Font.DemiBold
                font.pixelSize: Theme.title
                Layout.leftMargin: 8
            }
            Label {
                text: page.active.title
                color: "#aab4be"
                elide: Text.ElideRight
                Layout.fillWidth: true
                Layout.leftMargin: 12
            }
            StripButton {
                text: qsTr("Side by side")
                checkable: true
                checked: page.sideBySide
                enabled: session.slides.length > 0
                onClicked: page.sideBySide = checked
            }
            StripButton {
                text: qsTr("Link navigation")
                checkable: true
                checked: page.linked
                enabled: page.sideBySide
                onClicked: page.linked = checked
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Pan and zoom both slides together (serial sections, H&E beside IHC)")
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        SlideStrip {
            session: session
            currentId: page.active.slideId
            Layout.preferredWidth: 230
            Layout.fillHeight: true
            onSlideChosen: id => page.show(id)
        }

        RowLayout {
            spacing: 2
            Layout.fillWidth: true
            Layout.fillHeight: true
            SlidePane {
                id: paneA
                session: session
                caseReference: page.reference
                active: page.activePane === 0 || !page.sideBySide
                syncPartner: page.sideBySide && page.linked ? paneB.view : null
                Layout.fillWidth: true
                Layout.fillHeight: true
                onActivated: page.activePane = 0
            }
            SlidePane {
                id: paneB
                visible: page.sideBySide
                session: session
                caseReference: page.reference
                active: page.activePane === 1
                syncPartner: page.sideBySide && page.linked ? paneA.view : null
                Layout.fillWidth: true
                Layout.fillHeight: true
                onActivated: page.activePane = 1
            }
        }

        SlideInspector {
            session: session
            view: page.active.view
            annotations: page.active.annotations
            Layout.preferredWidth: 300
            Layout.fillHeight: true
        }
    }
}
